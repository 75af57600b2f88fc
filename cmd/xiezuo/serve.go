package main

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

func runServe(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "serve", "[--addr 地址:端口] [--db 数据库] [--demo]")
	dsn := dbFlag(e, fs)
	addr := fs.String("addr", "127.0.0.1:8080", "监听地址")
	demo := fs.Bool("demo", false, "演示模式：使用内置默认数据库并载入 2021 年计划")
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 {
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	if *demo {
		s, err := loadSample(ctx, db)
		if err != nil {
			return fail(e, err)
		}
		printSummary(e.stdout, s)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 无法监听 %s：%v\n", *addr, err)
		return exitError
	}
	srv := &http.Server{Handler: newServer(db, log), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.stdout, "xiezuo 已启动：http://%s/ （健康检查 /healthz），按 Ctrl+C 停止\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(e.stderr, "xiezuo: %v\n", err)
			return exitError
		}
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			return fail(e, err)
		}
	}
	return exitOK
}

// newServer serves /healthz and a page listing the plans stored with their summaries. The web
// application proper comes with its own issue.
func newServer(db *sqldb.DB, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := db.Ping(r.Context()); err != nil {
			log.Error("healthz", "err", err)
			http.Error(w, "数据库不可用", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		plans, err := db.Plans(r.Context())
		if err != nil {
			log.Error("list plans", "err", err)
			http.Error(w, "系统内部错误，请稍后再试", http.StatusInternalServerError)
			return
		}
		var page homePage
		for _, pi := range plans {
			p, err := db.LoadPlan(r.Context(), pi.District, pi.Year)
			if err != nil {
				log.Error("load plan", "err", err)
				http.Error(w, "系统内部错误，请稍后再试", http.StatusInternalServerError)
				return
			}
			page.Plans = append(page.Plans, xiezuo.Summarize(p))
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		if err := homeTemplate.Execute(w, page); err != nil {
			log.Error("render home", "err", err)
		}
	})
	return mux
}

type homePage struct {
	Plans []xiezuo.Summary
}

var homeTemplate = template.Must(template.New("home").Funcs(template.FuncMap{
	"wan": func(y xiezuo.Yuan) string { return xiezuo.FormatWan(y.V) },
}).Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>xiezuo 协作：支援合作工作平台</title></head>
<body>
<h1>支援合作工作平台</h1>
{{if not .Plans}}<p>数据库中还没有计划。运行 <code>xiezuo import --db 数据库 计划文件</code> 导入。</p>{{end}}
{{range .Plans}}
<h2>{{.Year}}年{{.District}}</h2>
<p>工作要点 {{.WorkPoints}} 条，工作专班 {{.WorkTeams}} 个，任务 {{.Tasks}} 项，项目 {{.Projects}} 个；区级帮扶资金 {{wan .Totals.DistrictFundYuan}} 万元。</p>
<table border="1" cellpadding="4">
<tr><th>协作地区</th><th>项目（个）</th><th>项目总投资（万元）</th><th>区级帮扶资金（万元）</th><th>受益脱贫村（个）</th><th>受益脱贫人口（人）</th><th>吸纳脱贫人口（人）</th></tr>
{{range .Regions}}<tr><td>{{.Name}}</td><td>{{.Projects}}</td><td>{{wan .TotalInvestmentYuan}}</td><td>{{wan .DistrictFundYuan}}</td><td>{{.BeneficiaryVillages}}</td><td>{{.BeneficiaryPeople}}</td><td>{{.EmployedPeople}}</td></tr>
{{end}}</table>
{{end}}
</body></html>
`))
