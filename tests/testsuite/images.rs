//! Images: missing local images are warnings at the file and line that reference them.

use crate::support::{check_human, fixture};

#[test]
fn missing_local_images_are_warnings_at_their_file_and_line() {
    let run = check_human(&fixture("invalid_missing_image"));
    assert_eq!(run.code, 0, "{}", run.stdout);
    // The remote images (`https://picsum.photos/…`, `https://example.org/a.png`) and the
    // existing `/images/hero.png` are not reported.
    assert_eq!(
        run.stdout.matches("content/missing-image").count(),
        5,
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.stdout);
}
