//! The operating systems and architectures the Go release knows: the names
//! file-name suffixes are matched against (past and future ones included,
//! as go/build keeps them), which of them the `unix` tag covers, and the
//! GOOS/GOARCH pairs the go command accepts, with whether cgo is supported.

/// Every GOOS go/build recognises in a file name (`x_plan9.go`).
pub const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

/// The GOOS values the `unix` build tag matches.
pub const UNIX_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "linux",
    "netbsd",
    "openbsd",
    "solaris",
];

/// Every GOARCH go/build recognises in a file name (`x_arm64.go`).
pub const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

/// A GOOS/GOARCH pair the go command builds for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Port {
    /// GOOS.
    pub os: &'static str,
    /// GOARCH.
    pub arch: &'static str,
    /// Whether cgo can be enabled for it.
    pub cgo: bool,
}

const fn port(os: &'static str, arch: &'static str, cgo: bool) -> Port {
    Port { os, arch, cgo }
}

/// The pairs `go tool dist list` prints for the current Go release.
pub const PORTS: &[Port] = &[
    port("aix", "ppc64", true),
    port("android", "386", true),
    port("android", "amd64", true),
    port("android", "arm", true),
    port("android", "arm64", true),
    port("darwin", "amd64", true),
    port("darwin", "arm64", true),
    port("dragonfly", "amd64", true),
    port("freebsd", "386", true),
    port("freebsd", "amd64", true),
    port("freebsd", "arm", true),
    port("freebsd", "arm64", true),
    port("freebsd", "riscv64", true),
    port("illumos", "amd64", true),
    port("ios", "amd64", true),
    port("ios", "arm64", true),
    port("js", "wasm", false),
    port("linux", "386", true),
    port("linux", "amd64", true),
    port("linux", "arm", true),
    port("linux", "arm64", true),
    port("linux", "loong64", true),
    port("linux", "mips", true),
    port("linux", "mips64", true),
    port("linux", "mips64le", true),
    port("linux", "mipsle", true),
    port("linux", "ppc64", false),
    port("linux", "ppc64le", true),
    port("linux", "riscv64", true),
    port("linux", "s390x", true),
    port("linux", "sparc64", true),
    port("netbsd", "386", true),
    port("netbsd", "amd64", true),
    port("netbsd", "arm", true),
    port("netbsd", "arm64", true),
    port("openbsd", "386", true),
    port("openbsd", "amd64", true),
    port("openbsd", "arm", true),
    port("openbsd", "arm64", true),
    port("openbsd", "ppc64", false),
    port("openbsd", "riscv64", true),
    port("plan9", "386", false),
    port("plan9", "amd64", false),
    port("plan9", "arm", false),
    port("solaris", "amd64", true),
    port("wasip1", "wasm", false),
    port("windows", "386", true),
    port("windows", "amd64", true),
    port("windows", "arm64", true),
];

/// The port `os`/`arch`, when the go command builds for it.
pub fn port_of(os: &str, arch: &str) -> Option<Port> {
    PORTS.iter().copied().find(|p| p.os == os && p.arch == arch)
}

/// Whether `os` is a GOOS name.
pub fn is_known_os(os: &str) -> bool {
    KNOWN_OS.contains(&os)
}

/// Whether `arch` is a GOARCH name.
pub fn is_known_arch(arch: &str) -> bool {
    KNOWN_ARCH.contains(&arch)
}

/// Whether the `unix` tag holds on `os`.
pub fn is_unix(os: &str) -> bool {
    UNIX_OS.contains(&os)
}

/// The GOOS and GOARCH of the machine goleaklint runs on, as the go command
/// built for it would default them; `None` for a platform Go has no port for.
pub fn host() -> Option<(&'static str, &'static str)> {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        "linux" => "linux",
        "windows" => "windows",
        "freebsd" => "freebsd",
        "openbsd" => "openbsd",
        "netbsd" => "netbsd",
        "dragonfly" => "dragonfly",
        "solaris" => "solaris",
        "illumos" => "illumos",
        "android" => "android",
        "ios" => "ios",
        "aix" => "aix",
        _ => return None,
    };
    let little = cfg!(target_endian = "little");
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "x86" => "386",
        "aarch64" => "arm64",
        "arm" => "arm",
        "riscv64" => "riscv64",
        "loongarch64" => "loong64",
        "s390x" => "s390x",
        "powerpc64" if little => "ppc64le",
        "powerpc64" => "ppc64",
        "mips" if little => "mipsle",
        "mips" => "mips",
        "mips64" if little => "mips64le",
        "mips64" => "mips64",
        "sparc64" => "sparc64",
        _ => return None,
    };
    Some((os, arch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_port_uses_known_names() {
        for p in PORTS {
            assert!(is_known_os(p.os) && is_known_arch(p.arch), "{p:?}");
        }
        for os in UNIX_OS {
            assert!(is_known_os(os));
        }
        assert!(port_of("linux", "amd64").is_some_and(|p| p.cgo));
        assert!(port_of("js", "wasm").is_some_and(|p| !p.cgo));
        assert!(port_of("linux", "wasm").is_none());
        assert!(is_unix("darwin") && !is_unix("windows") && !is_unix("plan9"));
    }

    #[test]
    fn the_host_is_a_port() {
        if let Some((os, arch)) = host() {
            assert!(port_of(os, arch).is_some(), "{os}/{arch}");
        }
    }
}
