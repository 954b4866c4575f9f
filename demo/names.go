package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// surnames are common Chinese family names, roughly by frequency.
var surnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
	"胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
	"邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶",
	"程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆",
}

// Given names, whole (one or two characters), so that no odd combination
// appears.
var (
	maleGiven = []string{
		"伟", "强", "军", "磊", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "斌", "鹏",
		"建国", "建军", "志刚", "国强", "海波", "文杰", "俊杰", "德明", "春生", "小龙",
		"家豪", "振华", "立新", "永生", "红兵", "卫东", "金山", "长青", "子豪", "浩然",
	}
	femaleGiven = []string{
		"芳", "娜", "敏", "静", "丽", "艳", "霞", "燕", "玲", "萍", "红", "娟", "琴", "慧",
		"桂英", "秀兰", "玉梅", "春燕", "海燕", "丽华", "雪梅", "晓红", "淑珍", "美玲",
		"佳怡", "欣怡", "翠花", "凤英", "桂芳", "玉兰", "小红", "丹丹", "梦瑶", "思琪",
	}
)

// personName returns a random name of the given sex.
func personName(r *rand.Rand, male bool) string {
	given := femaleGiven
	if male {
		given = maleGiven
	}
	return surnames[r.IntN(len(surnames))] + given[r.IntN(len(given))]
}

// idArea is the area code of the demo's ID numbers. Province 43 has no
// prefecture 99, so the numbers are well-formed (and pass the checksum) yet
// cannot belong to anyone.
const idArea = "439901"

// idNumber returns a well-formed, fictional 18-digit resident ID number
// (GB 11643): area code, birth date, a sequence whose last digit is odd for
// men and even for women, and the ISO 7064 MOD 11-2 check character.
func idNumber(r *rand.Rand, birth gs.Date, male bool) string {
	seq := r.IntN(100)*10 + 2*r.IntN(5)
	if male {
		seq++
	}
	body := fmt.Sprintf("%s%04d%02d%02d%03d", idArea, birth.Year(), int(birth.Month()), birth.Day(), seq)
	return body + idCheck(body)
}

// idCheck returns the check character of the first 17 digits of an ID number.
func idCheck(body string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * weights[i]
	}
	return string("10X98765432"[sum%11])
}

// phonePrefixes are mobile number prefixes of the big Chinese carriers.
var phonePrefixes = []string{"138", "139", "137", "136", "135", "150", "151", "152", "158", "159", "187", "188", "182", "183"}

// phoneNumber returns a random 11-digit mobile number.
func phoneNumber(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(phonePrefixes[r.IntN(len(phonePrefixes))])
	for range 8 {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}
