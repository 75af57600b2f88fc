package sqldb

import (
	"fmt"
	"strconv"
	"time"

	"xiezuo"
)

// A generator of labour lists for the tests and benchmarks: valid ID numbers (GB 11643 check
// characters), mobile phones, homes in a few counties.

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// genIDNumber is a valid ID number of a person born on birth in area (6 digits), with the
// sequence seq (0–999) in the day.
func genIDNumber(area string, birth xiezuo.Date, seq int) string {
	first := fmt.Sprintf("%s%04d%02d%02d%03d", area, birth.Year, int(birth.Month), birth.Day, seq%1000)
	sum := 0
	for i := range 17 {
		sum += int(first[i]-'0') * idWeights[i]
	}
	return first + string("10X98765432"[sum%11])
}

var genAreas = []struct {
	area, home, region string
}{
	{"150125", "150125101", "内蒙古武川县"},
	{"522624", "522624100", "贵州三穗县"},
	{"522633", "522633102", "贵州从江县"},
	{"110109", "110109001", ""},
}

var genSurnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")

// genPerson is the i-th person of a generated list: distinct ID numbers and phones for i below
// 10^9.
func genPerson(i int) xiezuo.LabourPerson {
	a := genAreas[i%len(genAreas)]
	day := i / 1000
	birth := xiezuo.NewDate(1970, time.January, 1+day%9000)
	id := genIDNumber(a.area, birth, i%1000)
	p := xiezuo.LabourPerson{
		IDNumber:  id,
		Name:      string(genSurnames[i%len(genSurnames)]) + "工" + strconv.Itoa(i%97),
		Birth:     birth,
		Sex:       []string{"女", "男"}[(i%1000)%2],
		Phone:     fmt.Sprintf("13%09d", i),
		HomeCode:  a.home,
		Region:    a.region,
		Skills:    [][]string{{"电工"}, {"焊工", "普工"}, {"厨师"}, {"保洁"}, nil}[i%5],
		Education: "初中",
		WishPlace: "北京",
		WishPay:   500000,
		Available: xiezuo.NewDate(2021, time.July, 1),
	}
	if i%3 == 0 {
		p.Poor = xiezuo.PoorLifted
	}
	if i%2 == 0 {
		p.Income = 450000 + int64(i%10)*10000
		p.Employer = "北京某物业公司"
	}
	return p
}
