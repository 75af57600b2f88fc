// Package sample ships the 2021 plan of Mentougou District inside the binary, so that
// `xiezuo sample` and `xiezuo serve --demo` work from any folder.
package sample

import _ "embed"

// Plan2021Name is the file name of the 2021 plan.
const Plan2021Name = "2021-mentougou-plan.md"

// Plan2021 is the public notice of Mentougou District's 2021 support-cooperation plan, as
// published: a notice, 19 work points, 10 work teams, 17 tasks and 16 projects.
//
//go:embed 2021-mentougou-plan.md
var Plan2021 []byte
