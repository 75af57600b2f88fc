package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// factsTTL is how long an instance trusts the facts beside a plan (membership, assignments,
// coverage corrections) it read: as long as it trusts a plan's version. Its own changes drop
// them at once; another instance's are seen within this bound.
const factsTTL = time.Second

// planFacts are the facts beside a district's plan of a year that pages resolve group names and
// coverage links with.
type planFacts struct {
	groups    xiezuo.Groups
	overrides []xiezuo.CoverageOverride
	key       string // what the fragment cache keys pages that use them on
	at        time.Time
}

// factsCache keeps planFacts per district and year for factsTTL, so that pages served from the
// fragment cache cost no query for them.
type factsCache struct {
	mu  sync.Mutex
	m   map[string]planFacts
	gen uint64 // counts forgets, so a read that began before one is not kept after it
}

func factsKey(district string, year int) string { return district + "\x00" + strconv.Itoa(year) }

// get returns the facts of district's plan of year, from the cache or the database.
func (c *factsCache) get(ctx context.Context, db *sqldb.DB, district string, year int) (planFacts, error) {
	k := factsKey(district, year)
	c.mu.Lock()
	f, ok := c.m[k]
	gen := c.gen
	c.mu.Unlock()
	if ok && !readFresh(ctx) && time.Since(f.at) < factsTTL {
		return f, nil
	}
	members, err := db.GroupMembers(ctx, district)
	if err != nil {
		return planFacts{}, err
	}
	as, err := db.Assignments(ctx, district, year)
	if err != nil {
		return planFacts{}, err
	}
	overrides, err := db.CoverageOverrides(ctx, district, year)
	if err != nil {
		return planFacts{}, err
	}
	f = planFacts{groups: xiezuo.NewGroups(members, as), overrides: overrides, at: time.Now(),
		key: fmt.Sprintf("m%s;a%d;o%d;", strings.Join(members, ","), len(as), len(overrides))}
	c.mu.Lock()
	if c.gen == gen {
		if c.m == nil {
			c.m = map[string]planFacts{}
		}
		c.m[k] = f
	}
	c.mu.Unlock()
	return f, nil
}

// forget drops every cached fact: a change here is seen at once by this instance.
func (c *factsCache) forget() {
	c.mu.Lock()
	c.m = nil
	c.gen++
	c.mu.Unlock()
}

// derivedFigures are figures computed from a loaded plan alone: the same for every reader of the
// plan's version, so computed once per version rather than per page.
type derivedFigures struct {
	summary xiezuo.Summary
	gaps    int // duties without a responsible unit (xiezuo.Coverage)
}

// derivedMemo keeps derivedFigures per loaded plan. A loaded plan is never changed (a new
// version is a new value), so its address names it; the memo forgets everything past 64 plans.
type derivedMemo struct {
	mu sync.Mutex
	m  map[*xiezuo.Plan]derivedFigures
}

func (d *derivedMemo) get(p *xiezuo.Plan) derivedFigures {
	d.mu.Lock()
	f, ok := d.m[p]
	d.mu.Unlock()
	if ok {
		return f
	}
	_, _, gaps := xiezuo.Coverage(p, nil)
	f = derivedFigures{summary: xiezuo.Summarize(p), gaps: gaps}
	d.mu.Lock()
	if d.m == nil || len(d.m) >= 64 {
		d.m = map[*xiezuo.Plan]derivedFigures{}
	}
	d.m[p] = f
	d.mu.Unlock()
	return f
}
