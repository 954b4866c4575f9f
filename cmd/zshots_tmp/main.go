// Temporary screenshot tool (not committed).
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

func main() {
	base, user, out := os.Args[1], os.Args[2], os.Args[3]
	paths := os.Args[4:]
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.NoSandbox, chromedp.ExecPath("/usr/bin/chromium"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	ctx, cancel3 := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel3()
	must(chromedp.Run(ctx, chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(`input[name=username]`, user),
		chromedp.SendKeys(`input[name=password]`, "demo1234"),
		chromedp.Submit(`input[name=password]`),
		chromedp.Sleep(700*time.Millisecond)))
	for i, p := range paths {
		for _, w := range []int64{360, 1366} {
			var buf []byte
			must(chromedp.Run(ctx,
				emulation.SetDeviceMetricsOverride(w, 800, 1, w < 500),
				chromedp.Navigate(base+p), chromedp.Sleep(400*time.Millisecond),
				chromedp.FullScreenshot(&buf, 80)))
			name := fmt.Sprintf("%s-%d-%d.png", out, i, w)
			must(os.WriteFile(name, buf, 0o644))
			fmt.Println(name, strings.TrimSpace(p))
		}
	}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
