use super::*;

fn env(pairs: &[(&str, &str)]) -> GoEnv {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    GoEnv::from_fn(move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
}

const LINUX: Option<(&str, &str)> = Some(("linux", "amd64"));

fn ctx(pairs: &[(&str, &str)], tags: Option<&str>) -> BuildContext {
    BuildContext::from_go_env(&env(pairs), tags, LINUX, &|_| true).unwrap()
}

fn linux() -> BuildContext {
    ctx(&[], None)
}

#[test]
fn defaults_are_the_host_with_cgo_where_a_c_compiler_is() {
    let c = linux();
    assert_eq!(
        (c.goos.as_str(), c.goarch.as_str(), c.cgo),
        ("linux", "amd64", true)
    );
    assert_eq!(c.tool_tags, ["amd64.v1"]);
    assert!(c.tags.is_empty());
    let no_cc = BuildContext::from_go_env(&env(&[]), None, LINUX, &|_| false).unwrap();
    assert!(!no_cc.cgo, "no gcc on PATH: the go command turns cgo off");
    let cc = BuildContext::from_go_env(&env(&[("CC", "musl-gcc")]), None, LINUX, &|_| false);
    assert!(cc.unwrap().cgo, "CC set: cgo stays on");
}

#[test]
fn cross_builds_turn_cgo_off_unless_asked() {
    assert!(!ctx(&[("GOOS", "windows")], None).cgo);
    assert!(!ctx(&[("GOARCH", "arm64")], None).cgo);
    assert!(ctx(&[("GOOS", "windows"), ("CGO_ENABLED", "1")], None).cgo);
    assert!(!ctx(&[("CGO_ENABLED", "0")], None).cgo);
    // Naming the host explicitly is not a cross build.
    assert!(ctx(&[("GOOS", "linux"), ("GOARCH", "amd64")], None).cgo);
    // A port without cgo support.
    assert!(
        !BuildContext::from_go_env(&env(&[]), None, Some(("plan9", "amd64")), &|_| true)
            .unwrap()
            .cgo
    );
}

#[test]
fn tags_come_from_the_flag_else_goflags() {
    assert_eq!(ctx(&[], Some("a,b")).tags, ["a", "b"]);
    assert_eq!(ctx(&[], Some("a b")).tags, ["a", "b"]);
    assert_eq!(ctx(&[("GOFLAGS", "-tags=x,y")], None).tags, ["x", "y"]);
    assert_eq!(ctx(&[("GOFLAGS", "-mod=mod --tags=x")], None).tags, ["x"]);
    assert_eq!(ctx(&[("GOFLAGS", "-tags=x")], Some("a")).tags, ["a"]);
    assert!(ctx(&[("GOFLAGS", "-tags=x")], Some("")).tags.is_empty());
    let bad = BuildContext::from_go_env(&env(&[("GOFLAGS", "tags")]), None, LINUX, &|_| true);
    assert!(bad.unwrap_err().contains("GOFLAGS"));
}

#[test]
fn unknown_targets_are_refused() {
    let err = |pairs: &[(&str, &str)]| {
        BuildContext::from_go_env(&env(pairs), None, LINUX, &|_| true).unwrap_err()
    };
    assert!(err(&[("GOOS", "window")]).contains("unsupported GOOS/GOARCH pair window/amd64"));
    assert!(err(&[("GOOS", "js")]).contains("js/amd64"));
    assert!(err(&[("GOAMD64", "v9")]).contains("GOAMD64"));
    assert!(BuildContext::from_go_env(&env(&[]), None, None, &|_| true)
        .unwrap_err()
        .contains("set GOOS and GOARCH"));
    assert!(BuildContext::from_go_env(
        &env(&[("GOOS", "js"), ("GOARCH", "wasm")]),
        None,
        None,
        &|_| true
    )
    .is_ok());
}

#[test]
fn tags_that_hold() {
    let c = ctx(
        &[("GOEXPERIMENT", "rangefunc,boringcrypto")],
        Some("integration"),
    );
    for tag in [
        "linux",
        "amd64",
        "unix",
        "gc",
        "cgo",
        "integration",
        "go1.1",
        "go1.21",
        "go1.27",
        "amd64.v1",
        "goexperiment.rangefunc",
        "boringcrypto",
    ] {
        assert!(c.matches_tag(tag, None), "{tag}");
    }
    for tag in [
        "windows",
        "darwin",
        "arm64",
        "gccgo",
        "ignore",
        "go1.28",
        "go1.0",
        "go1.021",
        "go2.1",
        "amd64.v2",
        "goexperiment.arenas",
        "Linux",
    ] {
        assert!(!c.matches_tag(tag, None), "{tag}");
    }
    // A module that asks for a newer release has its tags.
    assert!(c.matches_tag("go1.30", Some(GoVersion::new(1, 30))));
    assert!(c.matches_tag("go1.27", Some(GoVersion::new(1, 16))));
    assert!(!c.matches_tag("go1.31", Some(GoVersion::new(1, 30))));
}

#[test]
fn implied_operating_systems() {
    let on = |os: &str, arch: &str| {
        BuildContext::from_go_env(
            &env(&[("GOOS", os), ("GOARCH", arch)]),
            None,
            LINUX,
            &|_| true,
        )
        .unwrap()
    };
    assert!(on("android", "arm64").matches_tag("linux", None));
    assert!(on("illumos", "amd64").matches_tag("solaris", None));
    assert!(on("ios", "arm64").matches_tag("darwin", None));
    assert!(!on("linux", "arm64").matches_tag("android", None));
    assert!(!on("darwin", "arm64").matches_tag("ios", None));
    assert!(on("darwin", "arm64").matches_tag("unix", None));
    assert!(!on("windows", "amd64").matches_tag("unix", None));
    assert!(!on("js", "wasm").matches_tag("unix", None));
    assert!(!on("windows", "amd64").matches_tag("cgo", None));
    assert!(on("android", "arm64").matches_file_name("x_linux.go"));
}

#[test]
fn architecture_levels() {
    let tags = |pairs: &[(&str, &str)]| ctx(pairs, None).tool_tags;
    assert_eq!(
        tags(&[("GOAMD64", "v3")]),
        ["amd64.v1", "amd64.v2", "amd64.v3"]
    );
    assert_eq!(tags(&[("GOARCH", "arm64")]), ["arm64.v8.0"]);
    assert_eq!(
        tags(&[("GOARCH", "arm64"), ("GOARM64", "v9.0,lse")]),
        [
            "arm64.v9.0",
            "arm64.v8.0",
            "arm64.v8.1",
            "arm64.v8.2",
            "arm64.v8.3",
            "arm64.v8.4",
            "arm64.v8.5"
        ]
    );
    assert_eq!(tags(&[("GOARCH", "arm")]), ["arm.5", "arm.6", "arm.7"]);
    assert_eq!(tags(&[("GOARCH", "386")]), ["386.sse2"]);
    assert_eq!(
        tags(&[("GOARCH", "ppc64le"), ("GOPPC64", "power9")]),
        ["ppc64le.power8", "ppc64le.power9"]
    );
    assert_eq!(tags(&[("GOARCH", "mips64")]), ["mips64.hardfloat"]);
    assert_eq!(
        tags(&[("GOARCH", "riscv64"), ("GORISCV64", "rva22u64")]),
        ["riscv64.rva20u64", "riscv64.rva22u64"]
    );
    assert_eq!(
        experiment_tags(Some("a,b,noa,,c")),
        ["goexperiment.b", "goexperiment.c"]
    );
    assert!(experiment_tags(Some("a,none")).is_empty());
}

#[test]
fn file_name_suffixes() {
    let c = linux();
    for name in [
        "x.go",
        "x_linux.go",
        "x_amd64.go",
        "x_linux_amd64.go",
        "x_linux_test.go",
        "x_linux_amd64_test.go",
        "x_test.go",
        "linux.go",
        "windows.go",
        "x_unix.go",
        "x_foo_windows_linux.go",
        "x_windows_foo.go",
        "x_linux.s.go",
    ] {
        assert!(c.matches_file_name(name), "{name}");
    }
    for name in [
        "x_windows.go",
        "x_arm64.go",
        "x_linux_arm64.go",
        "x_windows_amd64.go",
        "x_windows_test.go",
        "x_darwin_amd64_test.go",
        "net_windows_test.go",
        "x_plan9.go",
        "x_nacl.go",
        "x_wasm.go",
        "a_b_windows.go",
    ] {
        assert!(!c.matches_file_name(name), "{name}");
    }
    // Only the suffix counts: before the first `.`, after the first `_`.
    assert!(c.matches_file_name("x_windows.linux.go") == c.matches_file_name("x_windows.go"));
}

#[test]
fn headers_decide_with_go_build_first() {
    let c = ctx(&[], Some("integration"));
    let build = |src: &str| c.matches_header(src, None).unwrap();
    assert!(build("package p\n"));
    assert!(build("//go:build linux\n\npackage p\n"));
    assert!(!build("//go:build windows\n\npackage p\n"));
    assert!(!build("//go:build ignore\n\npackage main\n"));
    assert!(build("//go:build integration\n\npackage p\n"));
    assert!(!build("//go:build !integration\n\npackage p\n"));
    assert!(build(
        "//go:build linux && (amd64 || arm64) && cgo\n\npackage p\n"
    ));
    // //go:build decides alone; the +build lines are ignored then.
    assert!(build("//go:build linux\n// +build windows\n\npackage p\n"));
    // Without //go:build, every +build line must hold.
    assert!(!build("// +build !linux\n\npackage p\n"));
    assert!(build(
        "// +build linux darwin\n// +build amd64\n\npackage p\n"
    ));
    assert!(!build(
        "// +build linux darwin\n// +build arm64\n\npackage p\n"
    ));
    assert!(build("// +build windows,amd64 linux,amd64\n\npackage p\n"));
    // A +build line that is documentation does not count.
    assert!(build("// +build windows\npackage p\n"));
    // A byte order mark does not hide the header.
    assert!(!build("\u{feff}//go:build windows\n\npackage p\n"));
}

#[test]
fn invalid_headers_are_errors_with_positions() {
    let c = linux();
    let e = c
        .matches_header("// c\n\n//go:build linux &&\n\npackage p\n", None)
        .unwrap_err();
    assert_eq!(
        (e.line, e.column, e.message.as_str()),
        (
            3,
            20,
            "parsing //go:build line: unexpected end of expression"
        )
    );
    let e = c
        .matches_header("//go:build (linux\n\npackage p\n", None)
        .unwrap_err();
    assert_eq!((e.line, e.column), (1, 12));
    assert!(e.message.contains("missing close paren"));
    let e = c
        .matches_header("//go:build a\n//go:build b\n\npackage p\n", None)
        .unwrap_err();
    assert_eq!(
        (e.line, e.message.as_str()),
        (2, "multiple //go:build comments")
    );
    // A bad +build line is no error: its bad terms never hold.
    assert!(!c
        .matches_header("// +build li-nux\n\npackage p\n", None)
        .unwrap());
}

#[test]
fn cgo_files_are_left_out_without_cgo() {
    let src = "package p\n\n/*\n#include <stdlib.h>\n*/\nimport \"C\"\n\nfunc F() {}\n";
    assert_eq!(linux().judge("c.go", src, None), Verdict::Build);
    let off = ctx(&[("CGO_ENABLED", "0")], None);
    assert_eq!(off.judge("c.go", src, None), Verdict::Excluded);
    assert_eq!(
        off.judge("c.go", "package p\n\nimport \"fmt\"\n", None),
        Verdict::Build
    );
    assert_eq!(
        linux().judge("c_windows.go", "package p\n", None),
        Verdict::Excluded
    );
    assert!(matches!(
        linux().judge("c.go", "//go:build (\n\npackage p\n", None),
        Verdict::Invalid(_)
    ));
}

#[test]
fn read_head_reads_past_a_long_header() {
    let tmp = tempfile::tempdir().unwrap();
    let long = tmp.path().join("long.go");
    let preamble = format!("/*\n{}*/\n", "#define X 1\n".repeat(3000));
    let text = format!(
        "package p\n\n{preamble}import \"C\"\n\nfunc F() {{}}\n{}",
        "// pad\n".repeat(5000)
    );
    std::fs::write(&long, &text).unwrap();
    let head = read_head(&long).unwrap();
    assert!(imports_c(&String::from_utf8_lossy(&head)));
    let short = tmp.path().join("short.go");
    std::fs::write(
        &short,
        format!("package p\n\nfunc F() {{}}\n{}", "// pad\n".repeat(5000)),
    )
    .unwrap();
    assert_eq!(read_head(&short).unwrap().len() as u64, HEAD_BYTES);
    assert!(read_head(tmp.path()).is_none(), "a directory is not read");
    let c = ctx(&[("CGO_ENABLED", "0")], None);
    assert_eq!(c.judge_path(&long, None), Verdict::Excluded);
    assert_eq!(c.judge_path(&short, None), Verdict::Build);
    assert_eq!(
        c.judge_path(&tmp.path().join("missing.go"), None),
        Verdict::Build
    );
}

#[test]
fn the_fingerprint_covers_the_target() {
    let base = linux().fingerprint();
    assert_ne!(ctx(&[("GOOS", "windows")], None).fingerprint(), base);
    assert_ne!(ctx(&[], Some("x")).fingerprint(), base);
    assert_ne!(ctx(&[("CGO_ENABLED", "0")], None).fingerprint(), base);
    assert_eq!(linux().fingerprint(), base);
}
