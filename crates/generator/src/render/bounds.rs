//! Bounds on template work. A site's template override is code: a loop over
//! `range(100000)` inside another, a macro that calls itself twice or an expression
//! that writes gigabytes must fail the build with a located error, not hang it or
//! exhaust memory. When a site overrides any template, every page renders with
//!
//! - a step budget (minijinja's fuel: about one unit per template instruction), and
//! - an output budget: bytes the page may have, and bytes its expressions may produce
//!   in all, captured blocks and macro calls included,
//!
//! both in proportion to the page's data ([`DataSize`] of its context): a portfolio ten
//! times bigger may render ten times more, and no fixed number has to guess how big a
//! real portfolio gets. A site without overrides renders unbounded: the default theme
//! is code of this repository whose work is linear in the data (it visits each value a
//! few times), so it cannot loop, and a wrong guess here can never fail a big site that
//! only uses it.
//!
//! The budgets must still fit the default theme with room to spare, since an override
//! of one template (say `base.html`) runs the other default templates under them. Its
//! usage, against the parts of the budgets that grow with the data: at most 7 steps per
//! value (of 200), and output of the text plus at most 50 bytes per value (of 4 bytes
//! per text byte and 256 per value). On the sample copied to 10,008 initiatives (roadmap
//! page 23 MB, a report of 19.5 MB with its ranking tables), no page used more than
//! 3.3% of its steps, 21% of its output (that report) or 6.2% of what its expressions
//! may produce. `render::tests` checks the margins on every page of the sample;
//! `VMO_TIMINGS=1` prints the largest shares of a build.

use minijinja::value::ValueKind;
use minijinja::{Environment, Error, ErrorKind, Output, State, Value};
use std::cell::Cell;

/// How much data a page's context holds: the values (every number, string, list and
/// map counted once) and the bytes of its strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DataSize {
    pub values: u64,
    pub text_bytes: u64,
}

/// Measures a page's context, walking every list and map (contexts are a few levels
/// deep; anything deeper than [`MAX_DEPTH`] counts as one value).
pub fn data_size(v: &Value) -> DataSize {
    let mut size = DataSize::default();
    walk(v, 0, &mut size);
    size
}

const MAX_DEPTH: usize = 32;

fn walk(v: &Value, depth: usize, size: &mut DataSize) {
    size.values += 1;
    if let Some(s) = v.as_str() {
        size.text_bytes += s.len() as u64;
        return;
    }
    if depth >= MAX_DEPTH {
        return;
    }
    match v.kind() {
        ValueKind::Seq | ValueKind::Iterable => {
            for item in v.try_iter().into_iter().flatten() {
                walk(&item, depth + 1, size);
            }
        }
        ValueKind::Map => {
            for key in v.try_iter().into_iter().flatten() {
                if let Ok(item) = v.get_item(&key) {
                    walk(&item, depth + 1, size);
                }
            }
        }
        _ => {}
    }
}

/// Steps every page may take whatever its data: the default theme's smallest pages
/// (header, navigation, footer) take about 350; an endless loop ends within about a
/// tenth of a second.
pub const FUEL_BASE: u64 = 1_000_000;

/// Steps per value of the page's context. The default theme takes at most about 7 per
/// value (a table row reads each of its values once or twice, a few instructions each);
/// 200 leaves room for an override that visits every value many times, or loops over
/// one list inside another of 30 items, while an endless loop on the largest page of a
/// 10,000-initiative portfolio (72 million steps) still stops within a second or so.
pub const FUEL_PER_VALUE: u64 = 200;

/// Bytes every page may have whatever its data (the default theme's smallest page has
/// 3 KB).
pub const OUTPUT_BASE: u64 = 16 << 20;

/// Output bytes per byte of the strings in the page's context: a string is usually
/// written once (a narrative, a chart's SVG), a few times at most (a title in the
/// heading and in a table). Strings in the context are already escaped HTML where they
/// are HTML; a plain string written escaped can grow up to six times (`"` becomes
/// `&quot;`), which the per-value allowance absorbs for short strings.
pub const OUTPUT_PER_TEXT_BYTE: u64 = 4;

/// Output bytes per value of the context: the markup around it (a table cell, a link).
/// The default theme writes at most about 50 per value (15 to 25 on its big tables).
pub const OUTPUT_PER_VALUE: u64 = 256;

/// Expressions may produce this many times the page's output budget in all (a macro's
/// body is produced once into the macro's result and again where it is written).
pub const PRODUCED_PER_OUTPUT: u64 = 4;

/// The budgets of one page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Template steps (minijinja fuel).
    pub fuel: u64,
    /// Bytes of the page.
    pub output: u64,
}

impl Bounds {
    /// The budgets of a page whose context holds `size`.
    pub fn for_data(size: DataSize) -> Bounds {
        Bounds {
            fuel: FUEL_BASE.saturating_add(FUEL_PER_VALUE.saturating_mul(size.values)),
            output: OUTPUT_BASE
                .saturating_add(OUTPUT_PER_TEXT_BYTE.saturating_mul(size.text_bytes))
                .saturating_add(OUTPUT_PER_VALUE.saturating_mul(size.values)),
        }
    }
}

/// What one bounded render used (for `VMO_TIMINGS` and the tests that keep the default
/// theme far from its budgets).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub fuel: u64,
    pub written: u64,
    pub produced: u64,
}

/// Which budget a failed render ran out of, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exceeded {
    Fuel,
    Output,
}

/// A page that failed to render.
#[derive(Debug)]
pub struct RenderFailure {
    pub error: Error,
    pub exceeded: Option<Exceeded>,
    pub bounds: Option<Bounds>,
}

// The meter of the page being rendered on this thread. A page renders on one thread from
// start to end (minijinja is synchronous and our filters never hand work to rayon), so
// the sink and the formatter, which minijinja gives no shared state but the thread, meet
// here.
thread_local! {
    static METER: Cell<Option<Meter>> = const { Cell::new(None) };
}

#[derive(Clone, Copy, Debug)]
struct Meter {
    limit: u64,
    written: u64,
    produced: u64,
}

impl Meter {
    fn over(&self) -> bool {
        self.written > self.limit || self.produced > self.limit.saturating_mul(PRODUCED_PER_OUTPUT)
    }
}

/// The page's bytes, up to its limit; past it, bytes are counted and dropped (the
/// formatter then stops the render at the next expression, with its location).
struct Sink {
    bytes: Vec<u8>,
}

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let keep = METER.with(|m| {
            let mut meter = m.get()?;
            meter.written += buf.len() as u64;
            m.set(Some(meter));
            Some(meter.written <= meter.limit)
        });
        if keep != Some(false) {
            self.bytes.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the formatter that counts what expressions produce, in bounded
/// environments.
pub fn install(env: &mut Environment<'_>) {
    env.set_formatter(metered_formatter);
}

fn metered_formatter(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    let over = METER.with(|m| {
        let Some(mut meter) = m.get() else {
            return false;
        };
        meter.produced += value.as_str().map_or(0, str::len) as u64;
        m.set(Some(meter));
        meter.over()
    });
    if over {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "the page's output is over its size limit",
        ));
    }
    minijinja::escape_formatter(out, state, value)
}

/// Renders `template` with `ctx`, within `bounds` when given (`env` must then have been
/// through [`install`]). Returns the page's bytes and what it used.
pub fn render_page(
    env: &Environment<'static>,
    template: &str,
    ctx: &Value,
    bounds: Option<Bounds>,
) -> Result<(Vec<u8>, Usage), RenderFailure> {
    let fail = |error, exceeded| RenderFailure {
        error,
        exceeded,
        bounds,
    };
    let Some(b) = bounds else {
        let tmpl = env.get_template(template).map_err(|e| fail(e, None))?;
        let mut sink = Sink { bytes: Vec::new() };
        tmpl.render_captured_to(ctx, &mut sink)
            .map_err(|e| fail(e, None))?;
        return Ok((sink.bytes, Usage::default()));
    };
    let mut env = env.clone();
    env.set_fuel(Some(b.fuel));
    let tmpl = env.get_template(template).map_err(|e| fail(e, None))?;
    let mut sink = Sink { bytes: Vec::new() };
    METER.with(|m| {
        m.set(Some(Meter {
            limit: b.output,
            written: 0,
            produced: 0,
        }))
    });
    let result = tmpl
        .render_captured_to(ctx, &mut sink)
        .map(|c| c.state().fuel_levels().map_or(0, |(used, _)| used));
    let meter = METER.with(|m| m.take());
    let over = meter.is_some_and(|m| m.over());
    let exceeded = |e: &Error| match e.kind() {
        ErrorKind::OutOfFuel => Some(Exceeded::Fuel),
        _ if over => Some(Exceeded::Output),
        _ => None,
    };
    match result {
        Ok(_) if over => Err(fail(
            Error::new(
                ErrorKind::InvalidOperation,
                "the page's output is over its size limit",
            ),
            Some(Exceeded::Output),
        )),
        Ok(fuel) => Ok((
            sink.bytes,
            Usage {
                fuel,
                written: meter.map_or(0, |m| m.written),
                produced: meter.map_or(0, |m| m.produced),
            },
        )),
        Err(e) => {
            let x = exceeded(&e);
            Err(fail(e, x))
        }
    }
}

/// The largest share of its budgets any page used, for `VMO_TIMINGS`.
#[derive(Debug, Default)]
pub struct Peak {
    fuel: (f64, String),
    output: (f64, String),
    produced: (f64, String),
}

impl Peak {
    /// Notes what `page` used of its budgets `b`.
    pub fn note(&mut self, page: &str, u: Usage, b: Bounds) {
        let share = |used: u64, of: u64| used as f64 / of as f64;
        let produced = b.output.saturating_mul(PRODUCED_PER_OUTPUT);
        for (slot, x) in [
            (&mut self.fuel, share(u.fuel, b.fuel)),
            (&mut self.output, share(u.written, b.output)),
            (&mut self.produced, share(u.produced, produced)),
        ] {
            if x > slot.0 {
                *slot = (x, page.to_string());
            }
        }
    }

    /// Prints the largest shares when `VMO_TIMINGS` is set.
    pub fn print(&self) {
        if std::env::var_os("VMO_TIMINGS").is_some() {
            eprintln!(
                "timing: budgets used at most: steps {:.2}% ({}), output {:.2}% ({}), produced {:.2}% ({})",
                self.fuel.0 * 100.0,
                self.fuel.1,
                self.output.0 * 100.0,
                self.output.1,
                self.produced.0 * 100.0,
                self.produced.1
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    fn env(templates: &[(&'static str, &'static str)]) -> Environment<'static> {
        let mut env = Environment::new();
        for (name, text) in templates {
            env.add_template(name, text).unwrap();
        }
        install(&mut env);
        env
    }

    const SMALL: Bounds = Bounds {
        fuel: 10_000,
        output: 1_000,
    };

    #[test]
    fn data_size_counts_values_and_text() {
        let v = context! { a => "abc", b => vec![1, 2, 3], c => context! { d => "xy" } };
        assert_eq!(
            data_size(&v),
            DataSize {
                values: 8,
                text_bytes: 5
            }
        );
    }

    #[test]
    fn an_endless_loop_runs_out_of_fuel_at_its_line() {
        let env = env(&[(
            "t.html",
            "a\n{% for i in range(100000) %}{% for j in range(100000) %}\n{{ i }}{% endfor %}{% endfor %}",
        )]);
        let roomy = Bounds {
            output: 1 << 30,
            ..SMALL
        };
        let e = render_page(&env, "t.html", &Value::UNDEFINED, Some(roomy)).unwrap_err();
        assert_eq!(e.exceeded, Some(Exceeded::Fuel));
        assert_eq!(e.error.name(), Some("t.html"));
        assert!(
            matches!(e.error.line(), Some(2 | 3)),
            "{:?}",
            e.error.line()
        );
    }

    #[test]
    fn recursion_stops() {
        let env = env(&[(
            "t.html",
            "{% macro m(n) %}{{ m(n + 1) }}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
        )]);
        let e = render_page(&env, "t.html", &Value::UNDEFINED, Some(SMALL)).unwrap_err();
        assert!(e.error.line().is_some(), "{e:?}");
    }

    #[test]
    fn too_much_output_stops_at_the_expression() {
        let env = env(&[(
            "t.html",
            "start\n{% for i in range(100) %}{{ 'x' * 100 }}{% endfor %}",
        )]);
        let e = render_page(&env, "t.html", &Value::UNDEFINED, Some(SMALL)).unwrap_err();
        assert_eq!(e.exceeded, Some(Exceeded::Output));
        assert_eq!(e.error.line(), Some(2));
    }

    #[test]
    fn output_captured_in_a_block_counts() {
        let env = env(&[(
            "t.html",
            "{% for i in range(1000) %}{% set x %}{{ 'x' * 100 }}{% endset %}{% endfor %}",
        )]);
        let e = render_page(&env, "t.html", &Value::UNDEFINED, Some(SMALL)).unwrap_err();
        assert_eq!(e.exceeded, Some(Exceeded::Output));
    }

    #[test]
    fn raw_text_over_the_limit_fails_and_is_not_kept() {
        let env = env(&[("t.html", "{% for i in range(200) %}0123456789{% endfor %}")]);
        let e = render_page(&env, "t.html", &Value::UNDEFINED, Some(SMALL)).unwrap_err();
        assert_eq!(e.exceeded, Some(Exceeded::Output));
    }

    #[test]
    fn within_bounds_the_page_is_the_unbounded_page() {
        let env = env(&[(
            "t.html",
            "{% for i in items %}<b>{{ i }}</b>{% endfor %} {{ s }}",
        )]);
        let ctx = context! { items => vec!["a", "<"], s => "\"" };
        let (bounded, usage) = render_page(&env, "t.html", &ctx, Some(SMALL)).unwrap();
        let (free, _) = render_page(&env, "t.html", &ctx, None).unwrap();
        assert_eq!(bounded, free);
        assert_eq!(
            String::from_utf8(free).unwrap(),
            "<b>a</b><b>&lt;</b> &quot;"
        );
        assert!(usage.fuel > 0 && usage.written == bounded.len() as u64);
    }
}
