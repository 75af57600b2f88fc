// Package xiezuo is the work platform of a district's support-cooperation office
// (扶贫协作和支援合作工作领导小组办公室): the office that runs the district's East-West
// collaboration, paired assistance and water-diversion cooperation with its partner regions.
//
// The root package holds the domain: the types of a year's plan, the pure rules over them
// (money in fen, deadlines, subtotals, the summary that check and summary print) and the
// error type. Reading documents lives in plandoc, storage in sqldb, the binary in cmd/xiezuo.
//
// Glossary (中文 → identifier):
//
//	工作要点                 WorkPoint
//	部分（一、二、…）        Section
//	责任单位/牵头单位/配合单位 Responsibility (Role: RoleLead, RoleCooperating)
//	单位                     Unit (Kind), with aliases
//	工作专班                 WorkTeam
//	协作地区                 PartnerRegion (Relation)
//	任务清单/任务            Task, its numbered requirements Requirement
//	完成时限                 Deadline
//	项目计划表/项目          Project
//	合计/地区/类别小计行      Subtotal (Level)
//	帮扶资金                 money, an integer number of fen (分)
//	受益脱贫村               Villages (distinct counts: max ≤ subtotal ≤ sum)
//	受益脱贫人口             People
//	吸纳脱贫人口             Employed
package xiezuo
