package scheme

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gridscore/gridscore"
	"go.yaml.in/yaml/v3"
)

// parser walks the YAML node tree of one file. It keeps the first error and
// turns every later read into a no-op returning a zero value, so the code
// that maps the file to a Scheme reads straight through without an error
// check after each setting.
type parser struct {
	file string
	err  error
}

// fail records an error at node n about the setting at path ("rules.events.red";
// "" for the file as a whole), unless an earlier error was recorded.
func (p *parser) fail(n *yaml.Node, path, msg string) {
	p.failAt(n.Line, path, msg)
}

// failAt is fail with an explicit line.
func (p *parser) failAt(line int, path, msg string) {
	if p.err != nil {
		return
	}
	if path == "" {
		p.err = gridscore.Errorf(gridscore.EINVALID, "%s:%d: %s", p.file, line, msg)
		return
	}
	p.err = gridscore.Errorf(gridscore.EINVALID, "%s:%d: %s: %s", p.file, line, path, msg)
}

// section is one YAML mapping of the file ("events:", "rules:"), checked for
// unknown and repeated keys when it is opened. A section opened after an
// error is empty and every read from it returns a zero value.
type section struct {
	p    *parser
	path string // "events.quota"; "" for the top level
	line int    // the line of the key that opens the section, for "missing" errors
	keys map[string]*yaml.Node
	vals map[string]*yaml.Node
}

// resolve follows an alias (*anchor) to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// top opens the document's top-level mapping.
func (p *parser) top(doc *yaml.Node, allowed []string) *section {
	n := doc
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			p.failAt(1, "", "方案文件是空的")
			return &section{p: p}
		}
		n = n.Content[0]
	}
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		p.fail(n, "", "方案文件应由“设置名: 值”组成（如 id: xx-town-2023），这个文件看起来不是考核方案")
		return &section{p: p}
	}
	return p.open(n, n.Line, "", allowed, "不是已知的设置项")
}

// open reads mapping n as a section at path. unknown says what a key not in
// allowed is ("不是已知的规则 id").
func (p *parser) open(n *yaml.Node, line int, path string, allowed []string, unknown string) *section {
	s := &section{p: p, path: path, line: line, keys: map[string]*yaml.Node{}, vals: map[string]*yaml.Node{}}
	if p.err != nil {
		return s
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!null" {
			p.fail(k, path, "设置名应为文字")
			return s
		}
		child := join(path, k.Value)
		if _, dup := s.keys[k.Value]; dup {
			p.fail(k, child, fmt.Sprintf("重复的设置（第 %d 行已经设置过）", s.keys[k.Value].Line))
			return s
		}
		if !contains(allowed, k.Value) {
			msg := unknown
			if len(allowed) <= 8 {
				msg += "（可用的有：" + strings.Join(allowed, "、") + "）"
			}
			p.fail(k, child, msg)
			return s
		}
		s.keys[k.Value] = k
		s.vals[k.Value] = n.Content[i+1]
	}
	return s
}

// join appends key to a dotted path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// child returns the path of the setting key of s.
func (s *section) child(key string) string { return join(s.path, key) }

// has reports whether the section sets key.
func (s *section) has(key string) bool {
	_, ok := s.vals[key]
	return ok
}

// node returns the value of a required key, or nil after recording an error
// that names the missing key at the section's line.
func (s *section) node(key string) *yaml.Node {
	if s.p.err != nil {
		return nil
	}
	v, ok := s.vals[key]
	if !ok {
		s.p.failAt(s.line, s.path, "缺少设置 "+key)
		return nil
	}
	return resolve(v)
}

// section opens the required sub-mapping key.
func (s *section) section(key string, allowed []string, unknown string) *section {
	n := s.node(key)
	if n == nil {
		return &section{p: s.p}
	}
	if n.Kind != yaml.MappingNode {
		s.p.fail(n, s.child(key), "应为若干“名称: 值”，写在下面几行并缩进，或写成 {名称: 值, …}")
		return &section{p: s.p}
	}
	return s.p.open(n, s.keys[key].Line, s.child(key), allowed, unknown)
}

// scalar returns the single value of a required key.
func (s *section) scalar(key string) *yaml.Node {
	n := s.node(key)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		s.p.fail(n, s.child(key), "应为单个值，不能是列表或多项设置")
		return nil
	}
	return n
}

// text reads a required, non-empty text.
func (s *section) text(key string) string {
	n := s.scalar(key)
	if n == nil {
		return ""
	}
	if n.ShortTag() == "!!null" || strings.TrimSpace(n.Value) == "" {
		s.p.fail(n, s.child(key), "不能为空")
		return ""
	}
	return n.Value
}

// count reads a whole number not less than 0.
func (s *section) count(key string) int {
	n := s.scalar(key)
	if n == nil {
		return 0
	}
	if n.ShortTag() == "!!int" && n.Value != "" && strings.Trim(n.Value, "0123456789") == "" {
		if v, err := strconv.Atoi(n.Value); err == nil {
			return v
		}
	}
	s.p.fail(n, s.child(key), "应为不小于 0 的整数")
	return 0
}

// decimal reads a number not less than 0 with at most two decimals, exactly
// from its text, and returns it in hundredths ("0.5" → 50).
func (s *section) decimal(key string) int64 {
	n := s.scalar(key)
	if n == nil {
		return 0
	}
	if tag := n.ShortTag(); tag == "!!int" || tag == "!!float" {
		if v, ok := gridscore.ParseHundredths(n.Value); ok && v >= 0 {
			return v
		}
	}
	s.p.fail(n, s.child(key), "应为不小于 0 的数字，最多两位小数")
	return 0
}

// minutes reads a number of hours and returns it in minutes, which must be
// whole ("1.5" → 90; "0.01" is an error).
func (s *section) minutes(key string) int64 {
	h := s.decimal(key)
	if h*60%100 != 0 {
		s.p.fail(s.vals[key], s.child(key), "换算成分钟应为整数（如 2、1.5、0.25 小时）")
		return 0
	}
	return h * 60 / 100
}

// month reads a year and month such as 2023-06.
func (s *section) month(key string) gridscore.Month {
	n := s.scalar(key)
	if n == nil {
		return gridscore.Month{}
	}
	if len(n.Value) == 7 && n.Value[4] == '-' {
		y, err1 := strconv.Atoi(n.Value[:4])
		m, err2 := strconv.Atoi(n.Value[5:])
		if err1 == nil && err2 == nil && y >= 1 && m >= 1 && m <= 12 {
			return gridscore.Month{Year: y, Month: time.Month(m)}
		}
	}
	s.p.fail(n, s.child(key), "应为年月，如 2023-06")
	return gridscore.Month{}
}

// choice reads one of options; msg explains them.
func (s *section) choice(key string, options []string, msg string) string {
	n := s.scalar(key)
	if n == nil {
		return ""
	}
	if n.ShortTag() != "!!str" || !contains(options, n.Value) {
		s.p.fail(n, s.child(key), msg)
		return ""
	}
	return n.Value
}

// list reads a list of distinct values from allowed; unknown says what any
// other value is. An empty list [] is allowed.
func (s *section) list(key string, allowed []string, unknown string) []string {
	n := s.node(key)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		s.p.fail(n, s.child(key), "应为列表，如 ["+strings.Join(allowed, ", ")+"]")
		return nil
	}
	var out []string
	for _, item := range n.Content {
		item = resolve(item)
		switch {
		case item.Kind != yaml.ScalarNode || item.ShortTag() != "!!str":
			s.p.fail(item, s.child(key), "列表中的每一项应为文字")
		case !contains(allowed, item.Value):
			s.p.fail(item, s.child(key), item.Value+" "+unknown+"（可用的有："+strings.Join(allowed, "、")+"）")
		case contains(out, item.Value):
			s.p.fail(item, s.child(key), item.Value+" 重复出现")
		}
		if s.p.err != nil {
			return nil
		}
		out = append(out, item.Value)
	}
	return out
}
