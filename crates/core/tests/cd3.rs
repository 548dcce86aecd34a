//! CD3 (Cost of Delay Divided by Duration) and the cost of delay of a sequence.

use vmo_core::scoring::{
    DelayJob, ScoreError, cd3, cd3_order, sequence_cost_of_delay, value_delivered_by,
};

fn job(cod: f64, duration: f64) -> DelayJob {
    DelayJob {
        cost_of_delay_per_period: cod,
        duration_periods: duration,
    }
}

/// Black Swan Farming, "CD3 and proportionality to outcomes"
/// (blackswanfarming.com/cd3-and-proportionality-to-outcomes): an ice-cream stand sells
/// 10 a week; option A adds 10 a week and takes 2 weeks, option B adds 30 a week and
/// takes 4 weeks. CD3 A = 10 / 2 = 5, B = 30 / 4 = 7.5.
///
/// The source's "A then B: 100, B then A: 120" (sometimes quoted as what the orders
/// *cost*; see docs/references.md) are ice creams *sold* over the 6 weeks, the 10 a
/// week baseline (60) included: A then B sells 60 + 10 × 4 = 100, B then A 60 + 30 × 2 = 120. The cost of
/// delay of each order, against having both at once, is A then B 10 × 2 + 30 × 6 = 200
/// and B then A 30 × 4 + 10 × 6 = 180. Both views agree: B first is better by 20, as
/// CD3 says.
#[test]
fn black_swan_farming_ice_creams() {
    let a = cd3(10.0, 2.0).unwrap();
    let b = cd3(30.0, 4.0).unwrap();
    assert_eq!(a.value, 5.0);
    assert_eq!(b.value, 7.5);
    assert_eq!(a.terms.len(), 2);
    assert_eq!(a.terms[0].input, 10.0);
    assert_eq!(a.terms[1].input, 2.0);
    assert_eq!(a.formula, "cost of delay per period / duration");

    let (ja, jb) = (job(10.0, 2.0), job(30.0, 4.0));
    let ab = sequence_cost_of_delay(&[ja, jb]).unwrap();
    let ba = sequence_cost_of_delay(&[jb, ja]).unwrap();
    assert_eq!(ab.finish, vec![2.0, 6.0]);
    assert_eq!(ab.cost_of_delay, vec![20.0, 180.0]);
    assert_eq!(ab.total, 200.0);
    assert_eq!(ba.total, 180.0);
    // The source's figures: output over 6 weeks with the baseline of 10 a week.
    let baseline = 10.0 * 6.0;
    assert_eq!(
        baseline + value_delivered_by(&[ja, jb], 6.0).unwrap(),
        100.0
    );
    assert_eq!(
        baseline + value_delivered_by(&[jb, ja], 6.0).unwrap(),
        120.0
    );
    // Identity: value delivered + cost of delay = horizon × total cost of delay rate.
    assert_eq!(
        value_delivered_by(&[ja, jb], 6.0).unwrap() + ab.total,
        6.0 * 40.0
    );
    assert_eq!(cd3_order(&[ja, jb]).unwrap(), vec![1, 0]);
}

#[test]
fn cd3_errors() {
    assert!(matches!(
        cd3(10.0, 0.0),
        Err(ScoreError::ZeroDenominator { .. })
    ));
    assert!(matches!(cd3(-1.0, 2.0), Err(ScoreError::OutOfRange { .. })));
    assert!(matches!(
        cd3(f64::NAN, 2.0),
        Err(ScoreError::OutOfRange { .. })
    ));
    assert!(matches!(
        cd3(f64::MAX, f64::MIN_POSITIVE),
        Err(ScoreError::NonFinite)
    ));
    assert!(sequence_cost_of_delay(&[job(1.0, -1.0)]).is_err());
    assert!(value_delivered_by(&[job(1.0, 1.0)], f64::NAN).is_err());
    assert!(matches!(
        sequence_cost_of_delay(&[job(f64::MAX, 2.0), job(f64::MAX, 2.0)]),
        Err(ScoreError::NonFinite)
    ));
    assert_eq!(sequence_cost_of_delay(&[]).unwrap().total, 0.0);
}

#[test]
fn cd3_order_minimises_cost_of_delay() {
    // Every permutation of small job sets: the CD3 order is never beaten.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for _ in 0..300 {
        let n = 1 + next(6) as usize;
        let jobs: Vec<DelayJob> = (0..n)
            .map(|_| job(next(50) as f64, next(8) as f64))
            .collect();
        let order = cd3_order(&jobs).unwrap();
        let ordered: Vec<DelayJob> = order.iter().map(|&i| jobs[i]).collect();
        let best = sequence_cost_of_delay(&ordered).unwrap().total;
        let mut perm: Vec<usize> = (0..n).collect();
        permutations(&mut perm, 0, &mut |p| {
            let seq: Vec<DelayJob> = p.iter().map(|&i| jobs[i]).collect();
            let total = sequence_cost_of_delay(&seq).unwrap().total;
            assert!(best <= total + 1e-9, "{jobs:?}: {best} > {total} for {p:?}");
        });
    }
}

fn permutations(v: &mut Vec<usize>, k: usize, f: &mut dyn FnMut(&[usize])) {
    if k == v.len() {
        f(v);
        return;
    }
    for i in k..v.len() {
        v.swap(k, i);
        permutations(v, k + 1, f);
        v.swap(k, i);
    }
}
