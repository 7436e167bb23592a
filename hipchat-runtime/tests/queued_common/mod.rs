//! Helpers shared by the queued backend's tests.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};

use hipchat_runtime::backend::QueueMetrics;
use hipchat_runtime::backend::queued::{Undelivered, UndeliveredReason};

/// `count` bodies per room, `"<room>#<i>"`, in sending order (rooms interleaved).
pub fn plan(rooms: &[&str], count: usize) -> Vec<(String, String)> {
    (0..count)
        .flat_map(|i| {
            rooms
                .iter()
                .map(move |room| (room.to_string(), format!("{room}#{i}")))
        })
        .collect()
}

/// Every accepted notification is delivered, failed, dropped or abandoned, and nothing
/// is pending; the report lists exactly the failed / dropped / abandoned ones.
pub fn assert_accounted<'a>(
    metrics: &QueueMetrics,
    reported: impl IntoIterator<Item = &'a Undelivered>,
) {
    let reported: Vec<&Undelivered> = reported.into_iter().collect();
    assert_eq!(metrics.pending(), 0, "{metrics:?}");
    assert_eq!(
        metrics.accepted,
        metrics.delivered + metrics.failed + metrics.dropped + metrics.abandoned,
        "accounting identity: {metrics:?}"
    );
    let count = |f: fn(&UndeliveredReason) -> bool| -> u64 {
        reported.iter().filter(|u| f(&u.reason)).count() as u64
    };
    assert_eq!(
        count(|r| matches!(r, UndeliveredReason::Failed(_))),
        metrics.failed
    );
    assert_eq!(
        count(|r| matches!(r, UndeliveredReason::Dropped)),
        metrics.dropped
    );
    assert_eq!(
        count(|r| matches!(r, UndeliveredReason::Abandoned { .. })),
        metrics.abandoned
    );
}

/// Bodies of the report's undelivered notifications.
pub fn undelivered<'a>(reported: impl IntoIterator<Item = &'a Undelivered>) -> HashSet<String> {
    reported
        .into_iter()
        .map(|u| u.message.body.clone())
        .collect()
}

/// Per room: the first arrival of each body is in sending order, and everything not
/// reported undelivered arrived. Duplicates (at-least-once) are allowed.
pub fn assert_room_order(
    sent: &[(String, String)],
    received: impl Fn(&str) -> Vec<String>,
    undelivered: &HashSet<String>,
) {
    let mut by_room: HashMap<&str, Vec<&str>> = HashMap::new();
    for (room, body) in sent {
        by_room.entry(room).or_default().push(body);
    }
    for (room, bodies) in by_room {
        let position: HashMap<&str, usize> =
            bodies.iter().enumerate().map(|(i, b)| (*b, i)).collect();
        let mut seen = HashSet::new();
        let firsts: Vec<usize> = received(room)
            .iter()
            .filter(|body| seen.insert((*body).clone()))
            .map(|body| {
                *position
                    .get(body.as_str())
                    .unwrap_or_else(|| panic!("{body} was never sent"))
            })
            .collect();
        assert!(
            firsts.windows(2).all(|w| w[0] < w[1]),
            "room {room}: out of order: {firsts:?}"
        );
        for body in &bodies {
            assert!(
                seen.contains(*body) || undelivered.contains(*body),
                "room {room}: {body} neither arrived nor was reported"
            );
        }
    }
}
