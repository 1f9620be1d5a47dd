//! The layers of `src/` only look down and no files import each other in a
//! circle (README "Layout"): `scripts/check_layers.py` decides.

use std::process::Command;

#[test]
fn the_source_keeps_its_layers() {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new("python3")
        .arg("scripts/check_layers.py")
        .arg("src")
        .current_dir(root)
        .output()
        .expect("python3 runs scripts/check_layers.py");
    assert!(
        output.status.success(),
        "layering broken:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
