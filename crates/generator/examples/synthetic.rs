//! A synthetic portfolio of any size, deterministic and valid by construction, for the
//! benchmark (`scripts/bench.sh`):
//!
//! ```text
//! cargo run --release -p vmo-generator --example synthetic -- N OUT
//! ```
//!
//! writes a site folder `OUT` with `content/` holding N initiatives. The first 36 are the
//! sample's own; every further one is a sample initiative again (replica `r` of it: id
//! `<id>-r<r>`, title `<title> <r>`), its plan, actuals and scores scaled by a factor
//! between 0.5 and 2 drawn from a fixed-seed generator, so that figures, ranks and the
//! budget selection vary as in a real portfolio. A replica depends on the replicas of its
//! dependencies (dropped when N cuts them off). The budget envelope grows with N, and the
//! sample's settings, flow data and reports are copied unchanged (the reports name sample
//! initiatives, so they are left out below 36).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use toml::{Table, Value};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(out)) = (args.first().and_then(|n| n.parse().ok()), args.get(1)) else {
        eprintln!("usage: synthetic N OUT (N initiatives, OUT a new site folder)");
        return ExitCode::from(2);
    };
    match write(n, Path::new(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synthetic: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// splitmix64: a fixed, portable sequence.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A factor in 0.5..2, log-uniform, for replica `r` of initiative `k` and field `f`.
fn factor(r: usize, k: usize, f: u64) -> f64 {
    let u = (mix(mix(r as u64) ^ mix(k as u64 + 1000) ^ f) >> 11) as f64 / (1u64 << 53) as f64;
    (2f64.ln() * (2.0 * u - 1.0)).exp()
}

fn scale(v: &mut Value, f: f64) {
    match v {
        Value::Integer(i) => *i = (*i as f64 * f).round() as i64,
        Value::Float(x) => *x *= f,
        Value::Array(a) => a.iter_mut().for_each(|x| scale(x, f)),
        _ => {}
    }
}

fn scale_field(t: &mut Table, table: &str, key: &str, f: f64) {
    if let Some(v) = t
        .get_mut(table)
        .and_then(Value::as_table_mut)
        .and_then(|t| t.get_mut(key))
    {
        scale(v, f);
    }
}

struct Sample {
    id: String,
    front: Table,
    body: String,
}

fn read_sample(dir: &Path) -> Result<Vec<Sample>> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "md"));
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = fs::read_to_string(p)?;
            let rest = text
                .strip_prefix("+++\n")
                .ok_or_else(|| format!("{}: no +++ front matter", p.display()))?;
            let end = rest
                .find("\n+++\n")
                .ok_or_else(|| format!("{}: front matter not closed", p.display()))?;
            Ok(Sample {
                id: p
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .ok_or("bad file name")?
                    .to_string(),
                front: rest[..end].parse::<Table>()?,
                body: rest[end + 5..].to_string(),
            })
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for e in fs::read_dir(from)? {
        let e = e?;
        if e.file_type()?.is_file() {
            fs::copy(e.path(), to.join(e.file_name()))?;
        }
    }
    Ok(())
}

pub fn write(n: usize, out: &Path) -> Result<()> {
    let sample_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    if out.exists() && fs::read_dir(out)?.next().is_some() {
        return Err(format!("{} is not empty", out.display()).into());
    }
    let sample = read_sample(&sample_root.join("initiatives"))?;
    let per = sample.len();
    let content = out.join("content");
    let dir = content.join("initiatives");
    fs::create_dir_all(&dir)?;
    copy_dir(&sample_root.join("flow"), &content.join("flow"))?;
    if n >= per {
        copy_dir(&sample_root.join("reports"), &content.join("reports"))?;
    }

    // The envelope grows with the portfolio.
    let mut settings: Table = fs::read_to_string(sample_root.join("portfolio.toml"))?.parse()?;
    let grow = n as f64 / per as f64;
    scale_field(&mut settings, "budget", "amounts", grow);
    fs::write(content.join("portfolio.toml"), toml::to_string(&settings)?)?;

    let replicas = n.div_ceil(per);
    let exists = |r: usize, id: &str| {
        sample
            .iter()
            .position(|s| s.id == id)
            .is_some_and(|k| r * per + k < n)
    };
    for (r, k) in (0..replicas)
        .flat_map(|r| (0..per).map(move |k| (r, k)))
        .take(n)
    {
        let s = &sample[k];
        let name = if r == 0 {
            s.id.clone()
        } else {
            format!("{}-r{r}", s.id)
        };
        let mut front = s.front.clone();
        if r > 0 {
            let title = front.get("title").and_then(Value::as_str).unwrap_or("");
            front.insert("title".into(), Value::String(format!("{title} {r}")));
            let cost = factor(r, k, 1);
            let benefit = factor(r, k, 2) * cost.sqrt();
            for table in ["plan", "actuals"] {
                scale_field(&mut front, table, "cost", cost);
                scale_field(&mut front, table, "benefit", benefit);
            }
        }
        if let Some(Value::Array(deps)) = front.get_mut("depends_on") {
            deps.retain(|d| d.as_str().is_some_and(|d| exists(r, d)));
            if r > 0 {
                for d in deps.iter_mut() {
                    if let Some(id) = d.as_str() {
                        *d = Value::String(format!("{id}-r{r}"));
                    }
                }
            }
        }
        fs::write(
            dir.join(format!("{name}.md")),
            format!("+++\n{}+++\n{}", toml::to_string(&front)?, s.body),
        )?;
    }
    println!(
        "wrote {n} initiatives ({replicas} replica(s) of the sample's {per}) to {}",
        out.display()
    );
    Ok(())
}
