//! Output checks for every chart: well-formed XML, accessibility, escaping,
//! determinism, robustness against empty / NaN / odd input.

use vmo_charts::demo::{NASTY, all_charts};
use vmo_charts::*;

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("invalid XML: {e}\n{svg}"))
}

/// Checks structure shared by every chart and returns all text content.
fn check_svg(svg: &str, id: &str) -> String {
    let doc = parse(svg);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let sid = sanitize_id(id);
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some(format!("{sid}-title {sid}-desc").as_str())
    );
    // Shown at its own size: width and height are the viewBox's.
    let vb: Vec<&str> = root
        .attribute("viewBox")
        .expect("a viewBox")
        .split(' ')
        .collect();
    assert_eq!(root.attribute("width"), Some(vb[2]));
    assert_eq!(root.attribute("height"), Some(vb[3]));
    assert!(
        root.attribute("class")
            .is_some_and(|c| c.contains("vmo-chart"))
    );
    let kids: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(kids[0].tag_name().name(), "title");
    assert_eq!(
        kids[0].attribute("id"),
        Some(format!("{sid}-title").as_str())
    );
    assert_eq!(kids[1].tag_name().name(), "desc");
    assert_eq!(
        kids[1].attribute("id"),
        Some(format!("{sid}-desc").as_str())
    );
    assert!(!kids[0].text().unwrap_or_default().is_empty());
    for n in root.descendants().filter(|n| n.is_element()) {
        assert!(
            n.attribute("style").is_none(),
            "inline style attribute in {svg}"
        );
        assert!(n.attribute("font-family").is_none() || n == root);
        for a in ["fill", "stroke"] {
            if let Some(v) = n.attribute(a).filter(|v| v.starts_with('#')) {
                let cls = n.attribute("class").unwrap_or_default();
                assert!(
                    cls.contains(&format!("vmo-{}-", &a[..1])),
                    "{a}={v} without theme class on <{}>",
                    n.tag_name().name()
                );
            }
        }
    }
    assert!(!svg.contains("<script"), "unescaped markup");
    check_cut_labels_have_titles(&doc);
    root.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A text cut with an ellipsis keeps its whole text reachable: it sits in a `<g>` whose
/// `<title>` starts with the part shown and says more.
fn check_cut_labels_have_titles(doc: &roxmltree::Document<'_>) {
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let shown = t.text().unwrap_or_default().trim();
        let Some(at) = shown.find('\u{2026}') else {
            continue;
        };
        let prefix = &shown[..at];
        let title = t
            .ancestors()
            .filter(|a| a.has_tag_name("g"))
            .find_map(|g| g.children().find(|c| c.has_tag_name("title")))
            .and_then(|c| c.text())
            .unwrap_or_else(|| panic!("`{shown}` is cut and has no title"));
        assert!(
            title.starts_with(prefix) && title.len() > prefix.len() + 1,
            "`{shown}` is cut; its title `{title}` does not hold the whole text"
        );
    }
}

/// The hover titles of a chart's `<g>` groups, in order.
fn group_titles(svg: &str) -> Vec<String> {
    parse(svg)
        .descendants()
        .filter(|n| n.has_tag_name("g"))
        .filter_map(|g| g.children().find(|c| c.has_tag_name("title")))
        .map(|t| t.text().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn every_sample_chart_is_valid_accessible_and_deterministic() {
    let first = all_charts();
    let second = all_charts();
    assert_eq!(first.len(), second.len());
    for ((id, a), (_, b)) in first.iter().zip(&second) {
        let a = a.as_ref().unwrap_or_else(|e| panic!("{id}: {e}"));
        let b = b.as_ref().unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(a, b, "{id} is not deterministic");
        check_svg(a, id);
    }
}

#[test]
fn caller_text_is_escaped_once() {
    let spec = ChartSpec::new(NASTY, NASTY);
    let data = BarData {
        bars: vec![Bar {
            label: NASTY.into(),
            value: 10.0,
            group: Some(NASTY.into()),
        }],
        unit: NASTY.into(),
        ..BarData::default()
    };
    let svg = bar_chart(NASTY, &spec, &data).expect("renders");
    let text = check_svg(&svg, NASTY);
    // The parsed text is the original string: escaped exactly once.
    assert!(text.contains(NASTY), "{text}");
    assert!(
        !svg.contains("&amp;lt;") && !svg.contains("&amp;amp;"),
        "double escaping"
    );
    assert!(svg.contains("&lt;script&gt;"));
    let doc = parse(&svg);
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text());
    assert_eq!(title, Some(NASTY));
    assert_eq!(sanitize_id(NASTY), "script-alert-1-script-q-x");
}

#[test]
fn control_characters_do_not_break_xml() {
    let spec = ChartSpec::new("a\u{0}b\u{1b}c\nd", "\u{fffe}x\ty");
    let data = BarData {
        bars: vec![Bar {
            label: "line1\nline2\u{7}".into(),
            value: 1.0,
            group: None,
        }],
        ..BarData::default()
    };
    let svg = bar_chart("ctl", &spec, &data).expect("renders");
    check_svg(&svg, "ctl");
}

fn spec() -> ChartSpec {
    ChartSpec::new("T", "D")
}

fn assert_no_data(r: Result<String, ChartError>, id: &str) {
    let svg = r.unwrap_or_else(|e| panic!("{id}: {e}"));
    let text = check_svg(&svg, id);
    assert!(text.contains("No data"), "{id}: {text}");
}

#[test]
fn empty_input_draws_no_data() {
    let s = spec();
    assert_no_data(cash_flow_chart("a", &s, &CashFlowData::default()), "a");
    assert_no_data(bubble_chart("b", &s, &BubbleData::default()), "b");
    assert_no_data(bar_chart("c", &s, &BarData::default()), "c");
    assert_no_data(plan_actual_chart("d", &s, &PlanActualData::default()), "d");
    assert_no_data(kpi_chart("e", &s, &KpiData::default()), "e");
    assert_no_data(roadmap_chart("f", &s, &RoadmapData::default()), "f");
    assert_no_data(heat_map_chart("g", &s, &HeatMapData::default()), "g");
    assert_no_data(histogram_chart("h", &s, &HistogramData::default()), "h");
    assert_no_data(dependency_map_chart("i", &s, &DepMapData::default()), "i");
    let isolated = DepMapData {
        nodes: vec![DepNode {
            id: "a".into(),
            label: "A".into(),
            ..Default::default()
        }],
        hide_isolated: true,
        ..Default::default()
    };
    assert_no_data(dependency_map_chart("i", &s, &isolated), "i");
    let custom = ChartSpec {
        no_data: Some("Nothing yet".into()),
        ..spec()
    };
    let svg = bar_chart("c", &custom, &BarData::default()).expect("renders");
    assert!(svg.contains("Nothing yet"));
}

fn assert_non_finite(r: Result<String, ChartError>) {
    match r {
        Err(ChartError::NonFinite { .. }) => {}
        other => panic!("expected NonFinite, got {other:?}"),
    }
}

#[test]
fn nan_and_infinity_are_errors() {
    let s = spec();
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_non_finite(cash_flow_chart(
            "a",
            &s,
            &CashFlowData {
                periods: vec!["1".into(), "2".into()],
                net: vec![1.0, bad],
                ..Default::default()
            },
        ));
        assert_non_finite(cash_flow_chart(
            "a",
            &s,
            &CashFlowData {
                periods: vec!["1".into()],
                net: vec![1.0],
                cumulative_discounted: vec![bad],
                ..Default::default()
            },
        ));
        assert_non_finite(bubble_chart(
            "b",
            &s,
            &BubbleData {
                points: vec![BubblePoint {
                    x: 1.0,
                    y: bad,
                    ..Default::default()
                }],
                ..Default::default()
            },
        ));
        assert_non_finite(bubble_chart(
            "b",
            &s,
            &BubbleData {
                points: vec![BubblePoint {
                    x: 1.0,
                    y: 1.0,
                    size: bad,
                    ..Default::default()
                }],
                ..Default::default()
            },
        ));
        assert_non_finite(bar_chart(
            "c",
            &s,
            &BarData {
                bars: vec![Bar {
                    label: "x".into(),
                    value: bad,
                    group: None,
                }],
                ..Default::default()
            },
        ));
        assert_non_finite(plan_actual_chart(
            "d",
            &s,
            &PlanActualData {
                periods: vec!["1".into()],
                planned: vec![1.0],
                actual: vec![Some(bad)],
                ..Default::default()
            },
        ));
        assert_non_finite(kpi_chart(
            "e",
            &s,
            &KpiData {
                points: vec![KpiPoint { day: 1, value: bad }],
                ..Default::default()
            },
        ));
        assert_non_finite(kpi_chart(
            "e",
            &s,
            &KpiData {
                points: vec![KpiPoint { day: 1, value: 1.0 }],
                target: Some(bad),
                ..Default::default()
            },
        ));
        assert_non_finite(histogram_chart(
            "h",
            &s,
            &HistogramData {
                bins: vec![HistogramBin {
                    start: 0.0,
                    end: 1.0,
                    count: 1,
                }],
                markers: vec![HistogramMarker {
                    value: bad,
                    label: "P50".into(),
                }],
                ..Default::default()
            },
        ));
    }
    assert!(matches!(
        bar_chart(
            "c",
            &s,
            &BarData {
                bars: vec![Bar {
                    label: "x".into(),
                    value: 1e300,
                    group: None
                }],
                ..Default::default()
            }
        ),
        Err(ChartError::InvalidData(_))
    ));
}

#[test]
fn invalid_shapes_are_errors() {
    let s = spec();
    assert!(matches!(
        cash_flow_chart(
            "a",
            &s,
            &CashFlowData {
                periods: vec!["1".into()],
                net: vec![],
                ..Default::default()
            }
        ),
        Err(ChartError::LengthMismatch { .. })
    ));
    assert!(matches!(
        heat_map_chart(
            "g",
            &s,
            &HeatMapData {
                counts: vec![vec![1, 2], vec![1]],
                ..Default::default()
            }
        ),
        Err(ChartError::LengthMismatch { .. })
    ));
    assert!(matches!(
        roadmap_chart(
            "f",
            &s,
            &RoadmapData {
                items: vec![RoadmapItem {
                    label: "x".into(),
                    start: 10,
                    end: 5,
                    ..Default::default()
                }],
                ..Default::default()
            }
        ),
        Err(ChartError::InvalidData(_))
    ));
    assert!(matches!(
        histogram_chart(
            "h",
            &s,
            &HistogramData {
                bins: vec![HistogramBin {
                    start: 2.0,
                    end: 1.0,
                    count: 1
                }],
                ..Default::default()
            }
        ),
        Err(ChartError::InvalidData(_))
    ));
}

/// Single points, all zeros, all negative, identical values: valid SVG, no panic.
#[test]
fn degenerate_input_renders() {
    let s = spec();
    let one = |v: f64| CashFlowData {
        currency: "EUR".into(),
        periods: vec!["2025".into()],
        net: vec![v],
        ..Default::default()
    };
    for v in [0.0, -5.0, 5.0, 1e-9, 9.9e14] {
        check_svg(&cash_flow_chart("a", &s, &one(v)).expect("cash flow"), "a");
        check_svg(
            &bubble_chart(
                "b",
                &s,
                &BubbleData {
                    points: vec![BubblePoint {
                        name: "x".into(),
                        x: v,
                        y: v,
                        size: v,
                        ..Default::default()
                    }],
                    ..Default::default()
                },
            )
            .expect("bubble"),
            "b",
        );
        check_svg(
            &bar_chart(
                "c",
                &s,
                &BarData {
                    bars: vec![Bar {
                        label: "x".into(),
                        value: v,
                        group: None,
                    }],
                    ..Default::default()
                },
            )
            .expect("bars"),
            "c",
        );
        check_svg(
            &plan_actual_chart(
                "d",
                &s,
                &PlanActualData {
                    periods: vec!["Q1".into()],
                    planned: vec![v],
                    actual: vec![None],
                    ..Default::default()
                },
            )
            .expect("plan"),
            "d",
        );
        check_svg(
            &kpi_chart(
                "e",
                &s,
                &KpiData {
                    points: vec![KpiPoint {
                        day: 20000,
                        value: v,
                    }],
                    ..Default::default()
                },
            )
            .expect("kpi"),
            "e",
        );
        check_svg(
            &histogram_chart(
                "h",
                &s,
                &HistogramData {
                    bins: vec![HistogramBin {
                        start: v,
                        end: v,
                        count: 0,
                    }],
                    ..Default::default()
                },
            )
            .expect("histogram"),
            "h",
        );
    }
    let neg = CashFlowData {
        periods: vec!["a".into(), "b".into(), "c".into()],
        net: vec![-3.0, -2.0, -1.0],
        cumulative_discounted: vec![-3.0, -4.8, -5.6],
        ..Default::default()
    };
    check_svg(&cash_flow_chart("a", &s, &neg).expect("negative"), "a");
    check_svg(
        &roadmap_chart(
            "f",
            &s,
            &RoadmapData {
                items: vec![RoadmapItem {
                    label: "x".into(),
                    start: 5,
                    end: 5,
                    ..Default::default()
                }],
                today: Some(5),
                ..Default::default()
            },
        )
        .expect("roadmap"),
        "f",
    );
    check_svg(
        &heat_map_chart(
            "g",
            &s,
            &HeatMapData {
                counts: vec![vec![0; 5]; 5],
                ..Default::default()
            },
        )
        .expect("heat"),
        "g",
    );
    check_svg(
        &heat_map_chart(
            "g",
            &s,
            &HeatMapData {
                counts: vec![vec![7]],
                ..Default::default()
            },
        )
        .expect("heat 1x1"),
        "g",
    );
    // Many categories and tiny sizes still render.
    let many = BarData {
        bars: (0..200)
            .map(|i| Bar {
                label: format!("Category {i}"),
                value: i as f64,
                group: Some(format!("g{i}")),
            })
            .collect(),
        ..Default::default()
    };
    check_svg(
        &bar_chart(
            "c",
            &ChartSpec {
                width: Some(1),
                height: Some(1),
                ..spec()
            },
            &many,
        )
        .expect("many bars"),
        "c",
    );
    let periods: Vec<String> = (0..120).map(|i| format!("Month {i}")).collect();
    let net: Vec<f64> = (0..120).map(|i| (i as f64 - 60.0) * 1000.0).collect();
    check_svg(
        &cash_flow_chart(
            "a",
            &s,
            &CashFlowData {
                periods,
                net,
                ..Default::default()
            },
        )
        .expect("long"),
        "a",
    );
}

#[test]
fn data_round_trips_through_json() {
    let data = KpiData {
        points: vec![KpiPoint::ymd(2025, 3, 1, 1.5)],
        target: Some(2.0),
        format: ValueFormat::Fixed {
            decimals: 1,
            prefix: String::new(),
            suffix: "%".into(),
        },
        ..Default::default()
    };
    let json = serde_json::to_string(&data).expect("json");
    let back: KpiData = serde_json::from_str(&json).expect("parse");
    assert_eq!(back, data);
    // Minimal JSON relies on defaults.
    let bars: BarData =
        serde_json::from_str(r#"{"bars":[{"label":"A","value":3}]}"#).expect("defaults");
    assert_eq!(bars.bars.len(), 1);
    let spec: ChartSpec = serde_json::from_str(r#"{"title":"T"}"#).expect("spec");
    assert_eq!(spec.title, "T");
    let f: ValueFormat = serde_json::from_str(r#"{"kind":"compact"}"#).expect("fmt");
    assert_eq!(f, ValueFormat::default());
}

#[test]
fn parallel_rendering_is_safe_and_identical() {
    let reference = all_charts();
    let handles: Vec<_> = (0..8).map(|_| std::thread::spawn(all_charts)).collect();
    for h in handles {
        let got = h.join().expect("thread");
        assert_eq!(got, reference);
    }
}

#[test]
fn css_covers_every_class_used() {
    for (_, svg) in all_charts() {
        let svg = svg.expect("renders");
        for cls in svg
            .split("class=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            for c in cls
                .split(' ')
                .filter(|c| c.starts_with("vmo-f-") || c.starts_with("vmo-s-"))
            {
                assert!(
                    CHART_CSS.contains(&format!(".{c}{{")),
                    "no CSS rule for {c}"
                );
            }
        }
    }
    assert!(CHART_THEME_CSS.contains("--chart-1:"));
    assert!(FONT_TTF.len() > 100_000);
}

/// The demo page (`cargo run -p vmo-charts --example demo` writes it) shows every sample
/// chart twice, in a light column and then a dark one, each exactly as the chart
/// function drew it (the dark copy with its title and description ids renamed so that
/// every id of the page is unique and every `aria-labelledby` finds its element), with
/// the font it is given and both colour schemes' variables.
#[test]
fn demo_page_shows_every_chart_in_light_and_dark() {
    let page = demo::demo_page("fonts/demo.ttf").expect("demo");
    assert!(
        page.contains("src:url(\"fonts/demo.ttf\")"),
        "the font is not used"
    );
    assert!(page.contains(CHART_CSS), "the chart CSS is missing");
    let light_at = page
        .find("<div class=\"col light\">")
        .expect("light column");
    let dark_at = page.find("<div class=\"col dark\">").expect("dark column");
    assert!(light_at < dark_at);
    let (light, dark) = (&page[light_at..dark_at], &page[dark_at..]);
    // The two columns get different colours: their variable blocks differ.
    let vars = |class: &str| {
        let at = page.find(&format!(".{class}{{\n")).expect("variables") + class.len() + 3;
        page[at..at + page[at..].find('}').expect("block end")].to_string()
    };
    assert!(vars("light").contains("--chart-1:"));
    assert_ne!(vars("light"), vars("dark"));
    let charts = all_charts();
    assert!(charts.len() >= 10, "{} sample charts", charts.len());
    for (id, svg) in &charts {
        let svg = svg.as_ref().expect("renders");
        let figure = format!("<figure class=\"f-{id}\"><figcaption>{id}</figcaption>");
        let dark_svg = svg.replace("-title", "-dtitle").replace("-desc", "-ddesc");
        assert!(
            light.contains(&format!("{figure}{svg}</figure>")),
            "{id}: not in the light column"
        );
        assert!(
            dark.contains(&format!("{figure}{dark_svg}</figure>")),
            "{id}: not in the dark column"
        );
    }
    assert_eq!(page.matches("<svg").count(), 2 * charts.len());
    let ids: Vec<&str> = page
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids in the demo page");
    for refs in page.split("aria-labelledby=\"").skip(1) {
        for r in refs
            .split('"')
            .next()
            .unwrap_or_default()
            .split_whitespace()
        {
            assert!(
                unique.contains(r),
                "aria-labelledby names a missing id `{r}`"
            );
        }
    }
}

#[test]
fn dependency_map_edge_cases() {
    let s = spec();
    let node = |id: &str| DepNode {
        id: id.into(),
        label: id.into(),
        ..Default::default()
    };
    assert!(matches!(
        dependency_map_chart(
            "i",
            &s,
            &DepMapData {
                nodes: vec![node("a")],
                edges: vec![("a".into(), "zz".into())],
                ..Default::default()
            }
        ),
        Err(ChartError::InvalidData(_))
    ));
    // Cycles and self-edges still render.
    let cyclic = DepMapData {
        nodes: vec![node("a"), node("b"), node("c")],
        edges: vec![
            ("a".into(), "b".into()),
            ("b".into(), "c".into()),
            ("c".into(), "a".into()),
            ("a".into(), "a".into()),
        ],
        ..Default::default()
    };
    check_svg(
        &dependency_map_chart("i", &s, &cyclic).expect("cycle renders"),
        "i",
    );
}

/// Regression: a long KPI unit and target label (from content) ran past the SVG's right
/// edge, and the target label's margin could leave the plot no width at all.
#[test]
fn long_kpi_unit_and_labels_are_cut_to_the_chart() {
    let long = "units of a very long name that nobody would type ".repeat(8);
    let data = KpiData {
        points: (0..6)
            .map(|i| KpiPoint {
                day: days_from_civil(2025, 1, 1) + i * 30,
                value: 10.0 + i as f64,
            })
            .collect(),
        baseline: Some(10.0),
        target: Some(20.0),
        unit: long.clone(),
        labels: KpiLabels {
            target: long.clone(),
            ..KpiLabels::default()
        },
        ..KpiData::default()
    };
    let s = ChartSpec::new("KPI", "long unit");
    let svg = kpi_chart("k", &s, &data).expect("kpi");
    check_svg(&svg, "k");
    let doc = parse(&svg);
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .collect();
    let cut: Vec<&String> = texts.iter().filter(|t| t.starts_with("units of")).collect();
    assert_eq!(
        cut.len(),
        3,
        "the legend, the unit caption and the target label: {texts:?}"
    );
    for t in cut {
        assert!(t.ends_with('\u{2026}') && t.len() < long.len() / 2, "{t}");
    }
    // The plot keeps its room: the data points spread over more than half the width.
    let cx: Vec<f64> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .filter_map(|n| n.attribute("cx").and_then(|x| x.parse().ok()))
        .collect();
    let spread =
        cx.iter().copied().fold(f64::MIN, f64::max) - cx.iter().copied().fold(f64::MAX, f64::min);
    assert!(
        cx.len() >= 6 && spread > f64::from(DEFAULT_WIDTH) / 2.0,
        "plot too narrow: {cx:?}"
    );
}

#[test]
fn a_crowded_bubble_chart_labels_the_largest_by_value_and_by_cost() {
    // 40 points spread on a grid: too many to label all; the three of highest value and
    // the three of highest cost get their names, the others none.
    let points: Vec<BubblePoint> = (0..40)
        .map(|k| BubblePoint {
            name: format!("P{k}"),
            group: String::new(),
            x: f64::from((k % 8) * 10 + k / 8),
            y: f64::from((k * 7) % 40),
            size: 1.0,
        })
        .collect();
    let svg = bubble_chart(
        "crowd",
        &spec(),
        &BubbleData {
            points: points.clone(),
            ..BubbleData::default()
        },
    )
    .expect("draws");
    let doc = parse(&svg);
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_string())
        .collect();
    let labelled: Vec<&str> = points
        .iter()
        .map(|p| p.name.as_str())
        .filter(|n| texts.iter().any(|t| t == n))
        .collect();
    let mut by_y: Vec<&BubblePoint> = points.iter().collect();
    by_y.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut by_x: Vec<&BubblePoint> = points.iter().collect();
    by_x.sort_by(|a, b| b.x.total_cmp(&a.x));
    let want: std::collections::BTreeSet<&str> = by_y[..3]
        .iter()
        .chain(&by_x[..3])
        .map(|p| p.name.as_str())
        .collect();
    assert!(!labelled.is_empty());
    for l in &labelled {
        assert!(
            want.contains(l),
            "{l} is labelled but is not among {want:?}"
        );
    }
    assert!(labelled.len() >= 4, "most of {want:?} placed: {labelled:?}");
}

#[test]
fn every_bubble_has_a_hover_title_and_an_outlier_sits_beyond_the_axis() {
    // 20 costs between 1M and 3M, one of 30M: Tukey's fences put it out. The axis ends
    // near 3M, the outlier sits in the margin, ringed, labelled with its cost.
    let mut points: Vec<BubblePoint> = (0..20)
        .map(|k| BubblePoint {
            name: format!("Initiative {k}"),
            group: "Stream".into(),
            x: 1.0e6 + 1.0e5 * f64::from(k),
            y: 2.0e5 * f64::from(k % 5),
            size: 1.0,
        })
        .collect();
    points.push(BubblePoint {
        name: "A very large programme with a long name".into(),
        group: "Stream".into(),
        x: 30.0e6,
        y: 1.0e6,
        size: 1.0,
    });
    let data = BubbleData {
        points: points.clone(),
        x_title: "Lifetime cost (EUR)".into(),
        y_title: "NPV (EUR)".into(),
        x_format: ValueFormat::Compact {
            prefix: "€".into(),
            suffix: String::new(),
        },
        y_format: ValueFormat::Compact {
            prefix: "€".into(),
            suffix: String::new(),
        },
        ..BubbleData::default()
    };
    let svg = bubble_chart("outlier", &spec(), &data).expect("draws");
    check_svg(&svg, "outlier");
    let titles = group_titles(&svg);
    for p in &points {
        assert!(
            titles
                .iter()
                .any(|t| t.starts_with(&format!("{}\nStream\nLifetime cost: €", p.name))),
            "no hover title for {}: {titles:?}",
            p.name
        );
    }
    assert!(
        titles
            .iter()
            .any(|t| t.contains("€30M") && t.ends_with("\nBeyond the axis, drawn in the margin"))
    );
    let text = parse(&svg)
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect::<Vec<_>>();
    assert!(text.iter().any(|t| t.starts_with("over €")), "{text:?}");
    assert!(
        text.iter().any(|t| t.ends_with(" €30M")),
        "outlier label keeps its value: {text:?}"
    );
    // The cost axis no longer runs to 30M: its largest tick is under 5M.
    assert!(
        !text
            .iter()
            .any(|t| ["€10M", "€20M", "€30M"].contains(&t.as_str())),
        "{text:?}"
    );
}

#[test]
fn a_long_roadmap_repeats_its_axis_and_titles_every_bar_and_milestone() {
    let items: Vec<RoadmapItem> = (0..20)
        .map(|k| RoadmapItem {
            label: format!("Row {k} with a name long enough to be cut somewhere on a narrow chart"),
            group: String::new(),
            start: 19_000 + 30 * k,
            end: 19_700 + 30 * k,
            milestones: vec![
                Milestone {
                    day: 19_100 + 30 * k,
                    label: "Contract signed with the supplier".into(),
                },
                Milestone {
                    day: 19_110 + 30 * k,
                    label: "Configuration done".into(),
                },
            ],
        })
        .collect();
    let data = RoadmapData {
        items,
        ticks: vec![(19_000, "FY2022".into()), (19_365, "FY2023".into())],
        ..RoadmapData::default()
    };
    let svg =
        roadmap_chart("long", &ChartSpec::new("t", "d").with_width(520), &data).expect("draws");
    check_svg(&svg, "long");
    let ticks = parse(&svg)
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.text() == Some("FY2023"))
        .count();
    assert_eq!(ticks, 2, "the axis above and below a chart of 20 rows");
    let titles = group_titles(&svg);
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Row 3 with") && t.contains(" to "))
    );
    assert!(
        titles
            .iter()
            .any(|t| t == "Contract signed with the supplier: due 18 Apr 2022"),
        "{titles:?}"
    );
    // No milestone label is a stub of a few letters.
    for n in parse(&svg).descendants().filter(|n| n.has_tag_name("text")) {
        let t = n.text().unwrap_or_default();
        if let Some(at) = t.find('\u{2026}') {
            assert!(t[..at].chars().count() >= 8, "a stub label `{t}`");
        }
    }
    // Twelve rows or fewer: one axis.
    let short = RoadmapData {
        items: data.items[..12].to_vec(),
        ..data.clone()
    };
    let svg = roadmap_chart("short", &spec(), &short).expect("draws");
    let ticks = parse(&svg)
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.text() == Some("FY2023"))
        .count();
    assert_eq!(ticks, 1);
}

#[test]
fn a_distribution_with_no_spread_shows_one_bar_and_one_label() {
    // Every outcome the same: one bin of no width, three percentiles of one value.
    let v = 228_910.0;
    let data = HistogramData {
        bins: vec![HistogramBin {
            start: v,
            end: v,
            count: 5000,
        }],
        markers: ["P10", "P50", "P90"]
            .iter()
            .map(|l| HistogramMarker {
                value: v,
                label: (*l).into(),
            })
            .collect(),
        format: ValueFormat::Compact {
            prefix: "€".into(),
            suffix: String::new(),
        },
        ..HistogramData::default()
    };
    let svg = histogram_chart("flat", &spec(), &data).expect("draws");
    check_svg(&svg, "flat");
    let doc = parse(&svg);
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(texts.contains(&"P10 = P50 = P90"), "{texts:?}");
    assert_eq!(texts.iter().filter(|t| t.starts_with("P")).count(), 1);
    // The bar is visible: a series-coloured rect at least 6 px wide.
    let bar = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .filter(|n| n.attribute("class").is_some_and(|c| c.contains("vmo-f-c1")))
        .map(|n| {
            n.attribute("width")
                .and_then(|w| w.parse::<f64>().ok())
                .unwrap_or(0.0)
        })
        .fold(0.0, f64::max);
    assert!(bar >= 6.0, "bar width {bar}: {svg}");
}
