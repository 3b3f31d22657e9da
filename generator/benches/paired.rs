//! Paired ratios: each round times the raw pulldown-cmark parse and each docbind stage back to back
//! (the order alternating between rounds) and divides each stage's time by that round's raw parse.
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

/// A name, and the work (returning a count so that it cannot be optimized away).
type Measure = (&'static str, fn() -> usize);

/// What is timed; the first is what the others are divided by.
const MEASURES: [Measure; 5] = [
    ("raw pulldown-cmark", support::raw_pulldown_cmark),
    ("floor: raw + JSON values", support::floor_parse_and_json),
    ("docbind markdown stage", support::stage_markdown),
    ("docbind through sections", support::stage_sections),
    ("docbind parse + resolve", support::docbind_parse_and_resolve),
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
    for (index, (name, _)) in MEASURES.iter().enumerate() {
        let mut ratios: Vec<f64> =
            times[index].iter().zip(&times[0]).map(|(t, raw)| t.as_secs_f64() / raw.as_secs_f64()).collect();
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
