package xiezuo

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rightsUsers are one account of each kind that meets a project of 内蒙古武川县 led by
// 区农业农村局 in 门头沟区.
func rightsUsers() (p *Project, office, lead, other, cadre, elsewhere, leader *User) {
	p = &Project{Name: "武川县加工车间", Region: "内蒙古武川县", LeadUnit: "区农业农村局"}
	office = &User{District: "门头沟区", Roles: []string{RoleOffice}}
	lead = &User{District: "门头沟区", Unit: "区农业农村局", Roles: []string{RoleUnit}}
	other = &User{District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}}
	cadre = &User{District: "门头沟区", Unit: CadreUnit, Roles: []string{RoleCadre}, Regions: []string{"内蒙古武川县"}}
	elsewhere = &User{District: "门头沟区", Unit: CadreUnit, Roles: []string{RoleCadre}, Regions: []string{"湖北省十堰市"}}
	leader = &User{District: "门头沟区", Roles: []string{RoleLeader}}
	return
}

func TestProjectStepRefusal(t *testing.T) {
	p, office, lead, other, cadre, elsewhere, leader := rightsUsers()
	tests := []struct {
		name string
		u    *User
		d    string
		want string
	}{
		{"office", office, "门头沟区", ""},
		{"lead unit", lead, "门头沟区", ""},
		{"cadre of the region", cadre, "门头沟区", ""},
		{"office of another district", office, "东城区", "只能修改或查看本区（门头沟区）的项目进展"},
		{"cadre of another region", elsewhere, "门头沟区", "项目“武川县加工车间”在内蒙古武川县，您负责的地区是湖北省十堰市"},
		{"another unit", other, "门头沟区", "由办公室、牵头单位区农业农村局和内蒙古武川县的前方挂职干部登记"},
		{"leader", leader, "门头沟区", "区领导只查看"},
	}
	for _, tt := range tests {
		err := ProjectStepRefusal(tt.u, tt.d, p)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: ProjectStepRefusal = %v, want nil", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || ErrorCode(err) != EFORBIDDEN):
			t.Errorf("%s: ProjectStepRefusal = %v, want EFORBIDDEN %q", tt.name, err, tt.want)
		}
	}
}

func TestStepWriteRefusal(t *testing.T) {
	p, office, lead, other, cadre, elsewhere, leader := rightsUsers()
	tests := []struct {
		name string
		u    *User
		d    string
		k    StepKind
		want string // a part of the EFORBIDDEN message; "" for none
	}{
		{"office starts", office, "门头沟区", StepStart, ""},
		{"office adjusts", office, "门头沟区", StepAdjust, ""},
		{"cadre starts", cadre, "门头沟区", StepStart, ""},
		{"cadre suspends", cadre, "门头沟区", StepSuspend, ""},
		{"cadre cancels", cadre, "门头沟区", StepCancel, ""},
		{"lead unit completes", lead, "门头沟区", StepComplete, ""},
		{"cadre adjusts", cadre, "门头沟区", StepAdjust, "调整项目资金或建设内容须经批复（批复文号），由办公室登记：项目“武川县加工车间”的调整请报领导小组办公室"},
		{"lead unit adjusts", lead, "门头沟区", StepAdjust, "由办公室登记"},
		{"cadre of another region adjusts", elsewhere, "门头沟区", StepAdjust, "您负责的地区是湖北省十堰市"},
		{"another unit starts", other, "门头沟区", StepStart, "由办公室、牵头单位区农业农村局"},
		{"leader", leader, "门头沟区", StepStart, "区领导只查看"},
		{"office of another district adjusts", office, "东城区", StepAdjust, "只能修改或查看本区（门头沟区）"},
		{"unknown kind: the project's right only", cadre, "门头沟区", "finish", ""},
	}
	for _, tt := range tests {
		err := StepWriteRefusal(tt.u, tt.d, p, tt.k)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: StepWriteRefusal = %v, want nil", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(ErrorMessage(err), tt.want) || ErrorCode(err) != EFORBIDDEN):
			t.Errorf("%s: StepWriteRefusal = %v, want EFORBIDDEN %q", tt.name, err, tt.want)
		}
	}
}

func TestStepsFor(t *testing.T) {
	p, office, lead, _, cadre, elsewhere, _ := rightsUsers()
	tests := []struct {
		name string
		u    *User
		s    ProjectStatus
		want []StepKind
	}{
		{"office, started", office, StatusStarted, []StepKind{StepComplete, StepSuspend, StepCancel, StepAdjust}},
		{"cadre, started", cadre, StatusStarted, []StepKind{StepComplete, StepSuspend, StepCancel}},
		{"lead unit, planned", lead, StatusPlanned, []StepKind{StepStart, StepCancel}},
		{"cadre, accepted", cadre, StatusAccepted, []StepKind{StepHandover}},
		{"office, suspended", office, StatusSuspended, []StepKind{StepResume, StepCancel}},
		{"another region's cadre", elsewhere, StatusStarted, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, StepsFor(tt.u, "门头沟区", p, tt.s)); diff != "" {
			t.Errorf("%s: StepsFor(%s) (-want +got):\n%s", tt.name, tt.s, diff)
		}
	}
}

func TestFundWriteRefusal(t *testing.T) {
	p, office, lead, other, cadre, elsewhere, leader := rightsUsers()
	tests := []struct {
		name string
		u    *User
		d    string
		k    FundKind
		want string // a part of the EFORBIDDEN message; "" for none
	}{
		{"office allocates", office, "门头沟区", FundAllocation, ""},
		{"office disburses", office, "门头沟区", FundDisbursement, ""},
		{"cadre disburses", cadre, "门头沟区", FundDisbursement, ""},
		{"cadre spends", cadre, "门头沟区", FundExpenditure, ""},
		{"lead unit disburses", lead, "门头沟区", FundDisbursement, ""},
		{"cadre allocates", cadre, "门头沟区", FundAllocation, "资金下达由办公室登记：项目“武川县加工车间”的下达（及下达记录的冲销）请报领导小组办公室；您可以登记拨付和支出"},
		{"lead unit allocates", lead, "门头沟区", FundAllocation, "资金下达由办公室登记"},
		{"cadre of another region disburses", elsewhere, "门头沟区", FundDisbursement, "项目“武川县加工车间”在内蒙古武川县，您负责的地区是湖北省十堰市：只能登记本地区项目的资金"},
		{"another unit disburses", other, "门头沟区", FundDisbursement, "项目“武川县加工车间”的资金由办公室、牵头单位区农业农村局和内蒙古武川县的前方挂职干部登记"},
		{"leader", leader, "门头沟区", FundDisbursement, "区领导只查看"},
		{"office of another district", office, "东城区", FundAllocation, "只能修改或查看本区（门头沟区）的项目资金"},
		{"unknown kind: the project's right only", cadre, "门头沟区", "refund", ""},
	}
	for _, tt := range tests {
		err := FundWriteRefusal(tt.u, tt.d, p, tt.k)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: FundWriteRefusal = %v, want nil", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(ErrorMessage(err), tt.want) || ErrorCode(err) != EFORBIDDEN):
			t.Errorf("%s: FundWriteRefusal = %v, want EFORBIDDEN %q", tt.name, err, tt.want)
		}
	}
}

func TestFundKindsFor(t *testing.T) {
	p, office, lead, other, cadre, _, leader := rightsUsers()
	tests := []struct {
		name string
		u    *User
		want []FundKind
	}{
		{"office", office, []FundKind{FundAllocation, FundDisbursement, FundExpenditure}},
		{"cadre", cadre, []FundKind{FundDisbursement, FundExpenditure}},
		{"lead unit", lead, []FundKind{FundDisbursement, FundExpenditure}},
		{"another unit", other, nil},
		{"leader", leader, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, FundKindsFor(tt.u, "门头沟区", p)); diff != "" {
			t.Errorf("%s: FundKindsFor (-want +got):\n%s", tt.name, diff)
		}
	}
}
