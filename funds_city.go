package xiezuo

// CanReadCityFunds reports whether the user may open the city's funds rollup (全市资金): the
// city office, over every district, and a district's office, over its own district only (the
// page keeps the districts CanReadDistrict allows).
func (u *User) CanReadCityFunds() bool { return u.HasAny(RoleOffice, RoleCityOffice) }
