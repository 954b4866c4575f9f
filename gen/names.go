package gen

import (
	"math/rand/v2"
	"strconv"

	gs "github.com/gridscore/gridscore"
)

// Place names are built from two syllables, as most Chinese towns and
// villages are named: a first one (colour, direction, tree, animal…) and a
// second one (landform or water). Their product gives a few thousand names,
// and a prefix multiplies them for the largest runs.
var (
	placeFirst = []string{
		"青", "东", "西", "南", "北", "柳", "白", "石", "桃", "金", "龙", "凤", "黄", "红",
		"长", "新", "太", "安", "永", "清", "平", "高", "双", "马", "杨", "梅", "竹", "松",
		"花", "云", "沙", "玉", "宝", "福", "兴", "丰", "和", "泰", "明", "光", "枫", "莲",
		"荷", "桂", "鹤", "燕", "盘", "桑",
	}
	placeSecond = []string{
		"山", "湖", "塘", "河", "桥", "坪", "溪", "林", "岗", "口", "湾", "坝", "田", "岭",
		"庄", "集", "铺", "埠", "冲", "洲", "港", "源", "泉", "峰", "园", "阳", "江", "滩",
		"渡", "堰", "亭", "寺", "店", "营", "堡", "圩", "岩", "垭", "坡", "台",
	}
	// placeExtra prefixes a place name once the two-syllable names run out.
	placeExtra = []string{"上", "下", "大", "小", "老", "前", "后", "中", "里", "外"}
)

// townKind is what a town is called and how its grids are split between
// urban communities (社区) and villages (村).
type townKind struct {
	suffix     string
	urbanShare int // per cent of the town's grids in communities
}

var (
	kindTown     = townKind{"镇", 25}
	kindSubdist  = townKind{"街道", 100}
	kindTownship = townKind{"乡", 8}
)

// townNamer gives each town index a distinct name: a seeded shuffle of
// every two-syllable name, prefixed by placeExtra once all are taken. The
// kind of town (镇, 街道, 乡) is drawn per index.
type townNamer struct {
	seed  uint64
	order []int // a permutation of the two-syllable names
}

func newTownNamer(seed int64) townNamer {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6e616d6573)) // "names"
	return townNamer{seed: uint64(seed), order: r.Perm(len(placeFirst) * len(placeSecond))}
}

// name returns the distinct base name of town i (青山) and its kind.
func (tn townNamer) name(i int) (string, townKind) {
	n := len(tn.order)
	j := tn.order[i%n]
	base := placeFirst[j/len(placeSecond)] + placeSecond[j%len(placeSecond)]
	if round := i / n; round > 0 {
		if round <= len(placeExtra) {
			base = placeExtra[round-1] + base
		} else {
			base += strconv.Itoa(round)
		}
	}
	kind := kindTown
	switch h := rand.New(rand.NewPCG(tn.seed, uint64(i)<<8|0x6b)).IntN(10); {
	case h < 2:
		kind = kindSubdist
	case h == 2:
		kind = kindTownship
	}
	return base, kind
}

// surnames are common Chinese family names, the commonest listed twice so
// that they come up more often.
var surnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
	"胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
	"邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶",
	"程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆",
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
}

// Given names, whole (one or two characters), so that no odd combination
// appears.
var (
	maleGiven = []string{
		"伟", "强", "军", "磊", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "斌", "鹏",
		"建国", "建军", "志刚", "国强", "海波", "文杰", "俊杰", "德明", "春生", "小龙",
		"家豪", "振华", "立新", "永生", "红兵", "卫东", "金山", "长青", "子豪", "浩然",
		"建华", "志强", "晓东", "国庆", "海涛", "文博", "宇航", "俊", "浩", "鑫",
	}
	femaleGiven = []string{
		"芳", "娜", "敏", "静", "丽", "艳", "霞", "燕", "玲", "萍", "红", "娟", "琴", "慧",
		"桂英", "秀兰", "玉梅", "春燕", "海燕", "丽华", "雪梅", "晓红", "淑珍", "美玲",
		"佳怡", "欣怡", "翠花", "凤英", "桂芳", "玉兰", "小红", "丹丹", "梦瑶", "思琪",
		"秀英", "丽娟", "晓燕", "雨欣", "婷", "莉", "雪", "颖",
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

// idArea is the area code of the generated ID numbers, as in package demo:
// province 43 has no prefecture 99, so the numbers are well-formed (and pass
// the checksum) yet cannot belong to anyone.
const idArea = "439901"

// idWeights are the weights of the ID number check character (GB 11643).
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idNumber returns a well-formed, fictional 18-digit resident ID number:
// area code, birth date, a sequence whose last digit is odd for men and even
// for women, and the ISO 7064 MOD 11-2 check character.
func idNumber(r *rand.Rand, birth gs.Date, male bool) string {
	var b [18]byte
	copy(b[:], idArea)
	putDigits(b[6:10], birth.Year())
	putDigits(b[10:12], int(birth.Month()))
	putDigits(b[12:14], birth.Day())
	seq := r.IntN(100)*10 + 2*r.IntN(5)
	if male {
		seq++
	}
	putDigits(b[14:17], seq)
	sum := 0
	for i, w := range idWeights {
		sum += int(b[i]-'0') * w
	}
	b[17] = "10X98765432"[sum%11]
	return string(b[:])
}

// phonePrefixes are mobile number prefixes of the big Chinese carriers.
var phonePrefixes = []string{"138", "139", "137", "136", "135", "150", "151", "152", "158", "159", "187", "188", "182", "183", "177", "199"}

// phoneNumber returns a random 11-digit mobile number.
func phoneNumber(r *rand.Rand) string {
	var b [11]byte
	copy(b[:], phonePrefixes[r.IntN(len(phonePrefixes))])
	putDigits(b[3:], r.IntN(100_000_000))
	return string(b[:])
}

// putDigits writes v into b as decimal digits, zero-padded to len(b).
func putDigits(b []byte, v int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
}

// ordinals name the grids of a community: 第一网格, 第二网格…
var ordinals = []string{"第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十"}
