//! Compile-time checks of `#[hipchat]`: each file in `tests/ui/` must fail to compile with
//! exactly the errors in its `.stderr`; each file in `tests/ui-pass/` must compile and run.
//!
//! Regenerate the expected errors with `TRYBUILD=overwrite cargo test --test ui`.

use std::path::Path;

#[test]
fn ui() {
    link_templates();
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui-pass/*.rs");
}

/// trybuild compiles the cases as a crate of its own, in `<target>/tests/trybuild/hipchat/`,
/// so there `CARGO_MANIFEST_DIR`, where `template = "name"` (and askama) look for
/// `templates/name`, is that directory. Make this crate's `templates/` visible there.
fn link_templates() {
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    // CARGO_TARGET_TMPDIR is `<target>/tmp`; trybuild builds in `<target>/tests/trybuild`.
    let project = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .join("tests/trybuild")
        .join(env!("CARGO_PKG_NAME"));
    std::fs::create_dir_all(&project).expect("create trybuild's project directory");
    let link = project.join("templates");
    if std::fs::read_link(&link).is_ok_and(|target| target == templates) {
        return;
    }
    // A stale link or an earlier copy.
    let _ = std::fs::remove_file(&link);
    let _ = std::fs::remove_dir_all(&link);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&templates, &link).expect("link templates/ for trybuild");
    #[cfg(not(unix))]
    copy_dir(&templates, &link);
}

#[cfg(not(unix))]
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create templates/ for trybuild");
    for entry in std::fs::read_dir(from).expect("read templates/") {
        let entry = entry.expect("read templates/");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("read templates/").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy templates/ for trybuild");
        }
    }
}
