//! The memory the images stage may hold in decoded pixels at once, whatever the image folder:
//! every core works on an image of its own while their decoded sizes fit in the budget, and an
//! image larger than the whole budget is worked on alone.

use std::sync::{Condvar, Mutex, OnceLock};

/// Bytes of decoded pixels that may be held at once across all images.
///
/// 160 MB lets two 24-megapixel photos (6000 × 4000, 72 MB each as RGB) be worked on side by
/// side, which with the encoders' and the build's own memory keeps a photo site's peak near
/// 300 MB.
const DECODED_BUDGET: u64 = 160 << 20;

/// The budget of the whole process: a build's workers and the copies `folio serve` makes on
/// request draw on the same one.
pub(super) fn shared() -> &'static MemoryBudget {
    static SHARED: OnceLock<MemoryBudget> = OnceLock::new();
    SHARED.get_or_init(|| MemoryBudget::new(DECODED_BUDGET))
}

/// A shared count of bytes in use, which [`MemoryBudget::reserve`] waits on.
#[derive(Debug)]
pub(super) struct MemoryBudget {
    limit: u64,
    in_use: Mutex<u64>,
    freed: Condvar,
}

/// Bytes reserved from a [`MemoryBudget`], given back when dropped.
#[derive(Debug)]
pub(super) struct Reservation<'a> {
    budget: &'a MemoryBudget,
    bytes: u64,
}

impl MemoryBudget {
    /// A budget of `limit` bytes.
    pub(super) fn new(limit: u64) -> MemoryBudget {
        MemoryBudget {
            limit,
            in_use: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Wait until `bytes` fit beside what others hold (or, when `bytes` alone exceed the
    /// limit, until nothing else is held), then hold them.
    pub(super) fn reserve(&self, bytes: u64) -> Reservation<'_> {
        // A poisoned lock only means another worker panicked; the count is still right.
        let mut in_use = self.in_use.lock().unwrap_or_else(|e| e.into_inner());
        while *in_use > 0 && *in_use + bytes > self.limit {
            in_use = self.freed.wait(in_use).unwrap_or_else(|e| e.into_inner());
        }
        *in_use += bytes;
        Reservation {
            budget: self,
            bytes,
        }
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        let mut in_use = self.budget.in_use.lock().unwrap_or_else(|e| e.into_inner());
        *in_use -= self.bytes;
        self.budget.freed.notify_all();
    }
}

/// What decoding and resizing an image of `width` × `height` holds at most: the decoded
/// pixels (taken as four bytes each, the widest 8-bit layout) plus the first, largest copy,
/// and with a `premultiplied_copy`, a copy of the pixels with alpha premultiplied, made to
/// resize a transparent image that is needed again afterwards.
pub(super) fn decoded_bytes(
    width: u32,
    height: u32,
    widest_copy: u32,
    premultiplied_copy: bool,
) -> u64 {
    let pixels = width as u64 * height as u64;
    let copy = if width == 0 {
        0
    } else {
        pixels * widest_copy.min(width) as u64 / width as u64 * widest_copy.min(width) as u64
            / width as u64
    };
    (pixels * (1 + premultiplied_copy as u64) + copy) * 4
}

#[cfg(test)]
mod tests {
    use super::{decoded_bytes, MemoryBudget};
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn reservations_never_hold_more_than_the_limit_together() {
        let budget = MemoryBudget::new(100);
        let held = AtomicU64::new(0);
        let most = AtomicU64::new(0);
        std::thread::scope(|scope| {
            for bytes in [60, 60, 30, 30, 90, 10] {
                let (budget, held, most) = (&budget, &held, &most);
                scope.spawn(move || {
                    let _reserved = budget.reserve(bytes);
                    let now = held.fetch_add(bytes, Ordering::SeqCst) + bytes;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    held.fetch_sub(bytes, Ordering::SeqCst);
                });
            }
        });
        assert!(most.load(Ordering::SeqCst) <= 100);
    }

    #[test]
    fn a_reservation_over_the_limit_is_granted_alone() {
        let budget = MemoryBudget::new(100);
        drop(budget.reserve(500));
        let _a = budget.reserve(40);
        let _b = budget.reserve(60);
    }

    #[test]
    fn the_estimate_counts_the_pixels_and_the_widest_copy() {
        assert_eq!(
            decoded_bytes(1000, 500, 500, false),
            (500_000 + 125_000) * 4
        );
        assert_eq!(decoded_bytes(400, 300, 1600, false), 2 * 400 * 300 * 4);
        assert_eq!(decoded_bytes(400, 300, 1600, true), 3 * 400 * 300 * 4);
    }
}
