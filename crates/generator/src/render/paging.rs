//! Pages of a bounded size: a portfolio-wide list (the roadmap, the risk register) is
//! cut into pages of a fixed number of rows, in the list's own order, each page linking
//! to the others. A portfolio that fits in one page has one page, as before.
//!
//! Their paths are [`Route`]'s.

use crate::route::Route;
use serde::Serialize;
use std::ops::Range;

/// Initiatives per roadmap page: a Gantt of 100 rows is about 3,000 px tall, the
/// largest that still reads as one chart.
pub const ROADMAP_ROWS: usize = 100;

/// Initiatives per page of the dependencies: their map (with their neighbours) and
/// their rows of the list.
pub const DEPENDENCY_ROWS: usize = 100;

/// Ranks of each model on the prioritisation page; the whole ranking is on the model's
/// own pages, [`RANKING_ROWS`] ranks a page.
pub const RANKING_TOP: usize = 100;

/// Proposals the prioritisation page lists of each kind (funded, not funded, dropped by
/// the 20% cut), highest NPV first; every proposal is on the budget's own pages,
/// [`BUDGET_ROWS`] a page.
pub const BUDGET_TOP: usize = 50;

/// Proposals per page of the whole budget selection.
pub const BUDGET_ROWS: usize = 250;

/// Ranks per page of a model's whole ranking.
pub const RANKING_ROWS: usize = 250;

/// Initiatives per page of benefits realisation's table.
pub const BENEFIT_ROWS: usize = 250;

/// A value-vs-effort chart of more than twice this many initiatives plots this many of
/// highest NPV and this many of highest cost (the data table lists the same).
pub const BUBBLES_EACH: usize = 100;

/// Risks per page of the register (about 1,500 bytes of HTML each).
pub const RISK_ROWS: usize = 250;

/// How many neighbours of the current page the pager links each side of it (besides
/// the first and the last page), so the pager stays short at any page count.
const NEIGHBOURS: usize = 2;

/// Initiatives per page of a value stream's or an objective's list.
pub const GROUP_ROWS: usize = 250;

/// Initiatives per page of the list of all initiatives.
pub const INITIATIVE_ROWS: usize = 250;

/// How many pages `total` rows take at `size` rows a page (at least one).
pub fn count(total: usize, size: usize) -> usize {
    total.div_ceil(size.max(1)).max(1)
}

/// The rows of page `n` (from 1).
pub fn rows(n: usize, size: usize, total: usize) -> Range<usize> {
    let start = (n.max(1) - 1).saturating_mul(size).min(total);
    start..start.saturating_add(size).min(total)
}

/// One link of a pager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PageLink {
    /// The page number, or `None` for a gap ("…").
    pub n: Option<usize>,
    /// Site path of the page (empty for a gap).
    pub href: String,
    pub current: bool,
}

/// Where a page is among its section's pages, for the template's pager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pager {
    pub page: usize,
    pub pages: usize,
    /// Rows shown, from 1, and the total.
    pub first: usize,
    pub last: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageLink>,
}

/// The pager of `route` (a page of a paged list), with `size` rows a page out of
/// `total`.
pub fn pager(route: Route<'_>, size: usize, total: usize) -> Pager {
    let n = route.page();
    let path = |k: usize| route.at(k).path();
    let pages = count(total, size);
    let n = n.clamp(1, pages);
    let r = rows(n, size, total);
    let mut links = Vec::new();
    let mut gap = false;
    for k in 1..=pages {
        let shown = k == 1 || k == pages || k.abs_diff(n) <= NEIGHBOURS;
        if shown {
            links.push(PageLink {
                n: Some(k),
                href: path(k),
                current: k == n,
            });
            gap = false;
        } else if !gap {
            links.push(PageLink {
                n: None,
                href: String::new(),
                current: false,
            });
            gap = true;
        }
    }
    Pager {
        page: n,
        pages,
        first: if r.is_empty() { 0 } else { r.start + 1 },
        last: r.end,
        total,
        prev: (n > 1).then(|| path(n - 1)),
        next: (n < pages).then(|| path(n + 1)),
        links,
    }
}

/// A page's title: the section's on page 1, "…, page n of m" after it.
pub fn title(section_title: &str, n: usize, pages: usize) -> String {
    if n <= 1 {
        section_title.to_string()
    } else {
        format!("{section_title}, page {n} of {pages}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_cover_every_row_once_in_order() {
        for total in [0, 1, 99, 100, 101, 250, 10_001] {
            let pages = count(total, 100);
            let all: Vec<usize> = (1..=pages).flat_map(|n| rows(n, 100, total)).collect();
            assert_eq!(all, (0..total).collect::<Vec<_>>(), "{total}");
            assert!(pages == 1 || rows(pages, 100, total).len() <= 100);
        }
        assert_eq!(count(0, 100), 1);
        assert_eq!(count(101, 100), 2);
    }

    #[test]
    fn the_pager_links_its_neighbours_and_both_ends() {
        let p = pager(Route::Roadmap(5), 100, 1_000);
        assert_eq!((p.page, p.pages, p.first, p.last), (5, 10, 401, 500));
        assert_eq!(p.prev.as_deref(), Some("roadmap/4/index.html"));
        assert_eq!(p.next.as_deref(), Some("roadmap/6/index.html"));
        let shown: Vec<Option<usize>> = p.links.iter().map(|l| l.n).collect();
        assert_eq!(
            shown,
            [
                Some(1),
                None,
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(10)
            ]
        );
        assert!(p.links.iter().filter(|l| l.current).count() == 1);
        let first = pager(Route::Risks(1), 250, 10);
        assert_eq!((first.pages, first.prev, first.next), (1, None, None));
        assert_eq!(title("Roadmap", 3, 7), "Roadmap, page 3 of 7");
    }
}
