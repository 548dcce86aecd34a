//! Writes every chart in light and dark mode to `target/charts-demo.html`.
//!
//! `cargo run -p vmo-charts --example demo`

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    std::fs::create_dir_all(&target)?;
    std::fs::write(
        target.join(vmo_charts::FONT_FILE_NAME),
        vmo_charts::FONT_TTF,
    )?;
    let page = vmo_charts::demo::demo_page(vmo_charts::FONT_FILE_NAME)?;
    let path = target.join("charts-demo.html");
    std::fs::write(&path, page)?;
    println!("{}", path.display());
    Ok(())
}
