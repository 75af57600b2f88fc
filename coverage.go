package xiezuo

import (
	"strings"
	"time"
)

// LinkHow says how a task was linked to a work point.
type LinkHow int

// How a link was made, strongest first.
const (
	LinkNone   LinkHow = iota
	LinkNamed          // the point's first sentence names the task's category (干部人才)
	LinkWords          // the point's text uses the task's words (its category, else its work item)
	LinkOffice         // the office set the link
)

// String says how the link was made, in words for the page.
func (h LinkHow) String() string {
	switch h {
	case LinkNamed:
		return "要点标题写明"
	case LinkWords:
		return "字面相同"
	case LinkOffice:
		return "办公室设定"
	}
	return ""
}

// CoverageOverride is the office correcting one link: Linked says whether task Task belongs to
// point Point (their current numbers; storage keeps the ids). It is a dated fact; the latest one
// for a point and task applies.
type CoverageOverride struct {
	Point  int
	Task   int
	Linked bool
	By     string
	At     time.Time
}

// CoverageLink is a task linked to a work point, and how.
type CoverageLink struct {
	Task Task
	How  LinkHow
}

// PointCoverage is a work point with the tasks that carry it out.
type PointCoverage struct {
	Point WorkPoint
	Tasks []CoverageLink
	// Missing is true when the point or one of its tasks names no responsible unit.
	Missing bool
}

// Coverage links each task to the work points it carries out, with the strongest evidence
// found for that task: a point whose first sentence names the task's category; else points
// whose text names the category; else points whose text names the task's work item. The
// office's overrides, the latest per point and task, add or remove links. Orphans are the
// tasks no point takes; gaps count points and tasks without a responsible unit.
func Coverage(p *Plan, overrides []CoverageOverride) (rows []PointCoverage, orphans []Task, gaps int) {
	type key struct{ point, task int }
	over := map[key]CoverageOverride{}
	for _, o := range overrides {
		k := key{o.Point, o.Task}
		if prev, ok := over[k]; ok && o.At.Before(prev.At) {
			continue
		}
		over[k] = o
	}
	links := make([]map[int]LinkHow, len(p.Points)) // point index → task number → how
	for i := range links {
		links[i] = map[int]LinkHow{}
	}
	for _, t := range p.Tasks {
		tests := []struct {
			how   LinkHow
			match func(WorkPoint) bool
		}{
			{LinkNamed, func(wp WorkPoint) bool { return t.Category != "" && strings.Contains(wp.Title, t.Category) }},
			{LinkWords, func(wp WorkPoint) bool { return t.Category != "" && strings.Contains(wp.Text, t.Category) }},
			{LinkWords, func(wp WorkPoint) bool {
				return t.WorkItem != "" && (strings.Contains(wp.Text, t.WorkItem) || strings.Contains(wp.Title, t.WorkItem))
			}},
		}
		for _, test := range tests {
			found := false
			for i, wp := range p.Points {
				if test.match(wp) {
					links[i][t.Number] = test.how
					found = true
				}
			}
			if found {
				break
			}
		}
	}
	used := map[int]bool{}
	for i, wp := range p.Points {
		row := PointCoverage{Point: wp, Missing: len(wp.Units) == 0}
		for _, t := range p.Tasks {
			how := links[i][t.Number]
			if o, ok := over[key{wp.Number, t.Number}]; ok {
				how = LinkNone
				if o.Linked {
					how = LinkOffice
				}
			}
			if how == LinkNone {
				continue
			}
			row.Tasks = append(row.Tasks, CoverageLink{t, how})
			used[t.Number] = true
			if len(t.Units) == 0 {
				row.Missing = true
			}
		}
		if row.Missing {
			gaps++
		}
		rows = append(rows, row)
	}
	for _, t := range p.Tasks {
		if !used[t.Number] {
			orphans = append(orphans, t)
			if len(t.Units) == 0 {
				gaps++
			}
		}
	}
	return rows, orphans, gaps
}
