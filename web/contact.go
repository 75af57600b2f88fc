package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"xiezuo"
	"xiezuo/sqldb"
	"xiezuo/vault"
)

// contactView is a unit's contact as a page shows it: the phone masked unless the reader may
// see it and asked to.
type contactView struct {
	Name      string
	Phone     string
	UpdatedBy string
	UpdatedAt string
	CanReveal bool
}

// contact reads a unit's contact for the page; reveal shows the full phone to a role that may
// see personal data, and audits it.
func (s *Server) contact(r *http.Request, district, unit string, reveal bool) (contactView, error) {
	id, err := s.db.UnitID(r.Context(), district, unit)
	if xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND {
		return contactView{}, nil
	}
	if err != nil {
		return contactView{}, err
	}
	c, err := s.db.Contact(r.Context(), district, sqldb.UnitSubject(id))
	if xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND {
		return contactView{}, nil
	}
	if err != nil {
		return contactView{}, err
	}
	who, err := s.lookupPeople(r, c.UpdatedBy)
	if err != nil {
		return contactView{}, err
	}
	u := currentUser(r)
	v := contactView{Name: c.Name, Phone: vault.MaskPhone(c.Phone), UpdatedBy: who.label(c.UpdatedBy, ""), UpdatedAt: fmtTime(c.UpdatedAt)}
	v.CanReveal = u.CanSeePersonalData(district) && c.Phone != ""
	if reveal && v.CanReveal {
		v.Phone = c.Phone
		v.CanReveal = false
		s.audit(r.Context(), sqldb.AuditReveal, "contact", district+"/"+sqldb.UnitSubject(id).String(), unit+" 联系人手机", "success", "查看完整手机号")
	}
	return v, nil
}

// contactForm reads a contact person from a form and checks it by the rule storage applies.
func contactForm(r *http.Request) (xiezuo.Contact, error) {
	c := xiezuo.Contact{Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone")}
	return c, c.Validate()
}

// askedDistrict is the district a write names in its query, or else the one the page shows: a
// write is checked against the district it names, never silently turned to another.
func askedDistrict(r *http.Request, d base) string {
	if asked := r.URL.Query().Get("district"); asked != "" {
		return asked
	}
	return d.District
}

func (s *Server) unitContactSave(w http.ResponseWriter, r *http.Request) {
	d := s.baseFor(r, "units")
	d.District = askedDistrict(r, d)
	unit := r.PathValue("name")
	if !d.User.CanEditUnit(d.District, unit) {
		msg, detail := "只能修改本单位的联系人", "无权修改其他单位"
		if !d.User.CanWriteDistrict(d.District) {
			msg = d.User.DistrictRefusal(d.District, "联系人")
			detail = "无权修改其他区县：所请求的是" + d.District
		}
		s.audit(r.Context(), sqldb.AuditContact, "contact", d.District+"/unit/"+unit, d.District+" "+unit, "failure", detail)
		s.errorPage(w, r, http.StatusForbidden, msg)
		return
	}
	id, err := s.db.UnitID(r.Context(), d.District, unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	person, err := contactForm(r)
	if err == nil {
		err = s.db.SaveContact(r.Context(), sqldb.Contact{District: d.District, Subject: sqldb.UnitSubject(id), Label: unit, Name: person.Name, Phone: person.Phone})
	}
	q := url.Values{"year": {strconv.Itoa(d.Year)}, "district": {d.District}}
	if err != nil {
		if xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			s.fail(w, r, err)
			return
		}
		s.flash(q, xiezuo.ErrorMessage(err), "error")
	} else {
		s.flash(q, "联系人已保存", "ok")
	}
	http.Redirect(w, r, "/units/"+url.PathEscape(unit)+"?"+q.Encode(), http.StatusSeeOther)
}

// unitContactReveal shows the unit page with the contact's full phone, for the roles that may
// see personal data; each reveal is audited.
func (s *Server) unitContactReveal(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	district := askedDistrict(r, s.baseFor(r, "units"))
	if !u.CanSeePersonalData(district) {
		msg, detail := "您的角色不能查看完整的个人信息", "无权查看"
		if u.HasAny(xiezuo.RoleOffice, xiezuo.RoleCityOffice) {
			msg = u.DistrictRefusal(district, "个人信息")
		}
		if district != u.District {
			detail = "无权查看其他区县：所请求的是" + district
		}
		s.audit(r.Context(), sqldb.AuditReveal, "contact", district+"/unit/"+r.PathValue("name"), district+" "+r.PathValue("name")+" 联系人手机", "failure", detail)
		s.errorPage(w, r, http.StatusForbidden, msg)
		return
	}
	s.showUnit(w, r, true)
}

// cadresOf lists the cadre accounts bound to a region.
func (s *Server) cadresOf(r *http.Request, district, region string) ([]*xiezuo.User, error) {
	list, err := s.db.Users(r.Context(), sqldb.UserFilter{District: district, Role: xiezuo.RoleCadre})
	if err != nil {
		return nil, err
	}
	var out []*xiezuo.User
	for _, a := range list {
		if slices.Contains(a.User.Regions, region) && !a.User.Disabled {
			u := a.User
			out = append(out, &u)
		}
	}
	return out, nil
}

// projectRow is a project on its region's page, with its contact and whether the reader may
// edit it.
type projectRow struct {
	Project xiezuo.Project
	Contact contactView
	CanEdit bool
}

// projectContacts reads the contacts of a region's projects for the page: phones masked.
func (s *Server) projectContacts(r *http.Request, pd *planData, region string, projects []xiezuo.Project) ([]projectRow, error) {
	all, err := s.db.ProjectContacts(r.Context(), pd.District, pd.Year)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, c := range all {
		names = append(names, c.UpdatedBy)
	}
	who, err := s.lookupPeople(r, names...)
	if err != nil {
		return nil, err
	}
	u := currentUser(r)
	var rows []projectRow
	for _, p := range projects {
		row := projectRow{Project: p, CanEdit: u.CanEditProject(pd.District, &p)}
		if c, ok := all[p.ID]; ok {
			row.Contact = contactView{Name: c.Name, Phone: vault.MaskPhone(c.Phone), UpdatedBy: who.label(c.UpdatedBy, ""), UpdatedAt: fmtTime(c.UpdatedAt)}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// projectContactSave sets the contact of a project: the office, the project's lead unit and
// the cadres of its region may; anyone else is refused.
func (s *Server) projectContactSave(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "regions", "协作地区")
	if pd == nil {
		return
	}
	u := currentUser(r)
	region := r.PathValue("name")
	if asked := askedDistrict(r, pd.base); !u.CanWriteDistrict(asked) || asked != pd.District {
		s.audit(r.Context(), sqldb.AuditContact, "contact", asked+"/"+region, asked+" "+region, "failure", "无权修改其他区县：所请求的是"+asked)
		s.errorPage(w, r, http.StatusForbidden, u.DistrictRefusal(asked, "项目联系人"))
		return
	}
	var mayAny bool
	var project *xiezuo.Project
	for i := range pd.Plan.Projects {
		p := &pd.Plan.Projects[i]
		if p.Region != region {
			continue
		}
		if u.CanEditProject(pd.District, p) {
			mayAny = true
		}
		if p.Name == r.PostFormValue("project") {
			project = p
		}
	}
	if !mayAny || (project != nil && !u.CanEditProject(pd.District, project)) {
		label := region
		if project != nil {
			label += "/" + project.Name
		}
		s.audit(r.Context(), sqldb.AuditContact, "contact", pd.District+"/"+label, label, "failure", "无权修改此项目")
		s.errorPage(w, r, http.StatusForbidden, "只有办公室、项目牵头单位和联系该地区的挂职干部可以修改项目联系人")
		return
	}
	if project == nil {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "请指明要修改的项目"))
		return
	}
	person, err := contactForm(r)
	if err == nil {
		err = s.db.SaveContact(r.Context(), sqldb.Contact{District: pd.District, Subject: sqldb.ProjectSubject(project.ID),
			Label: region + "/" + project.Name, Name: person.Name, Phone: person.Phone})
	}
	q := url.Values{"year": {strconv.Itoa(pd.Year)}, "district": {pd.District}}
	switch {
	case xiezuo.ErrorCode(err) == xiezuo.EINVALID:
		s.flash(q, xiezuo.ErrorMessage(err), "error")
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		s.flash(q, "项目“"+project.Name+"”的联系人已保存", "ok")
	}
	http.Redirect(w, r, "/regions/"+url.PathEscape(region)+"?"+q.Encode(), http.StatusSeeOther)
}
