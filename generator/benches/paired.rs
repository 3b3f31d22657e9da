//! Paired ratios: each round times the raw pulldown-cmark parse and each docbind stage back to back
//! (the order alternating between rounds) and divides each stage's time by that round's raw parse;
//! then the same two with the pages read from disk first, as a whole process reads them.
//! On a shared machine whose speed drifts by half within seconds, the median of these per-round
//! ratios is much steadier than a ratio of two medians measured apart, as `corpus` gives them.
//!
//! `cargo bench -p docbind --bench paired [-- ROUNDS]` (15 rounds unless given; the corpus is found
//! as the `corpus` bench finds it). Everything runs on one thread.

mod support;

use std::time::{Duration, Instant};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A name, the work (returning a count so that it cannot be optimized away), and the measure its
/// time is divided by.
type Measure = (&'static str, fn() -> usize, usize);

/// What is timed. The first five work on pages already in memory and are divided by the raw
/// parse; the last two read the pages from disk first, as a whole process does (issue 20's
/// measure), and docbind's is divided by the raw parse that reads them too.
const MEASURES: [Measure; 7] = [
    ("raw pulldown-cmark", support::raw_pulldown_cmark, 0),
    ("floor: raw + JSON values", support::floor_parse_and_json, 0),
    ("docbind markdown stage", support::stage_markdown, 0),
    ("docbind through sections", support::stage_sections, 0),
    ("docbind parse + resolve", support::docbind_parse_and_resolve, 0),
    ("raw, files read", support::raw_from_files, 5),
    ("docbind, files read", support::docbind_from_files, 5),
];

fn main() {
    // `cargo bench` passes `--bench`; the one number among the arguments is the round count.
    let rounds: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(15).max(1);
    support::corpus();
    let mut times = vec![Vec::with_capacity(rounds); MEASURES.len()];
    support::single_thread(|| {
        for round in 0..rounds {
            let mut order: Vec<usize> = (0..MEASURES.len()).collect();
            if round % 2 == 1 {
                order.reverse();
            }
            for index in order {
                let started = Instant::now();
                std::hint::black_box((MEASURES[index].1)());
                times[index].push(started.elapsed());
            }
            eprint!("\rround {}/{rounds}", round + 1);
        }
    });
    eprintln!();
    println!("{:<26} {:>12} {:>12} {:>14} {:>16}", "", "fastest", "median", "÷ raw, median", "÷ raw, min–max");
    for (index, (name, _, base)) in MEASURES.iter().enumerate() {
        let mut ratios: Vec<f64> =
            times[index].iter().zip(&times[*base]).map(|(t, raw)| t.as_secs_f64() / raw.as_secs_f64()).collect();
        ratios.sort_by(f64::total_cmp);
        let mut sorted = times[index].clone();
        sorted.sort();
        println!(
            "{name:<26} {:>12} {:>12} {:>13.2}× {:>7.2}–{:.2}×",
            millis(sorted[0]),
            millis(median(&sorted)),
            median(&ratios),
            ratios[0],
            ratios[ratios.len() - 1]
        );
    }
}

fn median<T: Copy>(sorted: &[T]) -> T {
    sorted[sorted.len() / 2]
}

fn millis(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1000.0)
}
