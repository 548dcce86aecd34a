//! A tiny hand-built portfolio whose numbers are checked by hand in the tests.

#![allow(dead_code, reason = "each test file uses part of the fixture")]

use std::collections::BTreeMap;
use vmo_core::*;

pub fn date(s: &str) -> Date {
    Date::parse(s).expect("fixture date")
}

/// An initiative with empty plan and no inputs; tests fill in what they need.
pub fn initiative(id: &str) -> Initiative {
    Initiative {
        id: id.to_owned(),
        title: id.to_uppercase(),
        summary: String::new(),
        kind: Kind::Project,
        stage: "delivery".to_owned(),
        value_stream: "vs-a".to_owned(),
        objectives: vec![],
        owner: String::new(),
        sponsor: String::new(),
        start: date("2025-01-01"),
        end: date("2027-12-31"),
        health: Health::Green,
        tags: vec![],
        plan: CashPlan {
            start: Period(2025),
            cost: vec![],
            benefit: vec![],
        },
        actuals: None,
        uncertainty: Uncertainty {
            cost: Range3 {
                low: 1.0,
                likely: 1.0,
                high: 1.0,
            },
            benefit: Range3 {
                low: 1.0,
                likely: 1.0,
                high: 1.0,
            },
            delay: Range3 {
                low: 0.0,
                likely: 0.0,
                high: 0.0,
            },
            distribution: Distribution::Triangular,
        },
        wsjf: None,
        rice: None,
        criteria: BTreeMap::new(),
        kpis: vec![],
        risks: vec![],
        milestones: vec![],
        depends_on: vec![],
    }
}

pub fn risk(probability: f64, impact: u8, status: RiskStatus) -> Risk {
    Risk {
        title: format!("p{probability} i{impact}"),
        probability,
        impact,
        owner: String::new(),
        mitigation: String::new(),
        status,
    }
}

pub fn milestone(name: &str, due: &str, done: Option<&str>) -> Milestone {
    Milestone {
        name: name.to_owned(),
        due: date(due),
        done: done.map(date),
    }
}

/// Yearly cadence (calendar years), base period 2025, 10% end-of-period, as of
/// 2026-06-30; two initiatives `alpha` (committed) and `beta` (proposed).
pub fn portfolio() -> Portfolio {
    let mut alpha = initiative("alpha");
    alpha.objectives = vec!["growth".to_owned()];
    alpha.plan = CashPlan {
        start: Period(2025),
        cost: vec![100.0, 50.0, 0.0],
        benefit: vec![0.0, 60.0, 121.0],
    };
    alpha.actuals = Some(CashPlan {
        start: Period(2025),
        cost: vec![110.0, 40.0],
        benefit: vec![0.0, 30.0],
    });
    alpha.wsjf = Some(WsjfInputs {
        business_value: 8.0,
        time_criticality: 5.0,
        risk_reduction: 3.0,
        job_size: 4.0,
    });
    alpha.rice = Some(RiceInputs {
        reach: 450.0,
        impact: 3.0,
        confidence: 1.0,
        effort: 2.0,
    });
    alpha.criteria = BTreeMap::from([("fit".to_owned(), 4.0), ("risk".to_owned(), 2.0)]);
    alpha.risks = vec![
        risk(0.5, 4, RiskStatus::Open),
        risk(0.9, 5, RiskStatus::Closed),
    ];
    alpha.kpis = vec![Kpi {
        name: "NPS".to_owned(),
        unit: "points".to_owned(),
        direction: Direction::HigherIsBetter,
        baseline: 10.0,
        target: 20.0,
        target_date: None,
        actuals: vec![
            DatedValue {
                date: date("2026-01-01"),
                value: 15.0,
            },
            // After as_of: ignored.
            DatedValue {
                date: date("2026-09-01"),
                value: 19.0,
            },
        ],
    }];
    alpha.milestones = vec![
        milestone("on time", "2025-06-30", Some("2025-06-01")),
        milestone("slipped", "2025-12-31", Some("2026-01-15")),
        milestone("overdue", "2026-03-31", None),
        milestone("next", "2026-12-31", None),
    ];

    let mut beta = initiative("beta");
    beta.kind = Kind::Product;
    beta.stage = "discovery".to_owned();
    beta.value_stream = "vs-b".to_owned();
    beta.objectives = vec!["growth".to_owned(), "cost".to_owned()];
    beta.plan = CashPlan {
        start: Period(2026),
        cost: vec![200.0],
        benefit: vec![0.0],
    };
    beta.risks = vec![
        risk(0.4, 5, RiskStatus::Mitigating),
        risk(1.0, 3, RiskStatus::Open),
    ];

    Portfolio {
        settings: Settings {
            title: "Test".to_owned(),
            description: String::new(),
            organisation: String::new(),
            base_url: "/".to_owned(),
            currency: "EUR".to_owned(),
            as_of: date("2026-06-30"),
            calendar: Calendar {
                cadence: Cadence::Year,
                fiscal_year_start_month: 1,
            },
            discount_rate: 0.10,
            discounting: Discounting::EndOfPeriod,
            base_period: Period(2025),
            budget: Some(PeriodSeries {
                start: Period(2025),
                values: vec![120.0, 300.0, 50.0],
            }),
        },
        objectives: vec![
            Objective {
                id: "growth".to_owned(),
                name: "Growth".to_owned(),
                description: String::new(),
                weight: 3.0,
                owner: String::new(),
            },
            Objective {
                id: "cost".to_owned(),
                name: "Cost".to_owned(),
                description: String::new(),
                weight: 1.0,
                owner: String::new(),
            },
        ],
        value_streams: ["vs-a", "vs-b"]
            .iter()
            .map(|id| ValueStream {
                id: (*id).to_owned(),
                name: id.to_uppercase(),
                description: String::new(),
                owner: String::new(),
            })
            .collect(),
        stages: [
            ("discovery", StageClass::Proposed),
            ("delivery", StageClass::Committed),
            ("live", StageClass::Operating),
        ]
        .iter()
        .map(|(id, class)| Stage {
            id: (*id).to_owned(),
            name: id.to_uppercase(),
            description: String::new(),
            class: *class,
        })
        .collect(),
        criteria: vec![
            Criterion {
                id: "fit".to_owned(),
                name: "Strategic fit".to_owned(),
                description: String::new(),
                min: 0.0,
                max: 5.0,
                direction: Direction::HigherIsBetter,
            },
            Criterion {
                id: "risk".to_owned(),
                name: "Delivery risk".to_owned(),
                description: String::new(),
                min: 1.0,
                max: 5.0,
                direction: Direction::LowerIsBetter,
            },
        ],
        models: vec![
            model("wsjf", Method::Wsjf),
            model("rice", Method::Rice),
            model(
                "weighted",
                Method::Weighted {
                    weights: vec![("fit".to_owned(), 2.0), ("risk".to_owned(), 1.0)],
                },
            ),
        ],
        initiatives: vec![alpha, beta],
    }
}

pub fn model(id: &str, method: Method) -> PriorityModel {
    PriorityModel {
        id: id.to_owned(),
        name: id.to_uppercase(),
        description: String::new(),
        method,
    }
}
