//! Dates in content: `'2021-11-03'` (the usual form), unquoted YAML dates, and full timestamps
//! (`2022-01-04T10:00:00.000Z`). Date-only values are calendar dates at midnight; timestamps
//! are read in UTC, so a build gives the same result in every time zone.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// A content date: a civil date and time, in UTC for timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContentDate(DateTime);

impl ContentDate {
    /// Parse any of the accepted forms.
    pub fn parse(text: &str) -> Option<ContentDate> {
        let text = text.trim();
        if text.len() == 10 {
            return text
                .parse::<Date>()
                .ok()
                .map(|d| ContentDate(d.to_datetime(jiff::civil::Time::midnight())));
        }
        if let Ok(ts) = text.parse::<jiff::Timestamp>() {
            return Some(ContentDate(TimeZone::UTC.to_datetime(ts)));
        }
        text.parse::<DateTime>().ok().map(ContentDate)
    }

    /// `YYYY-MM-DD`.
    pub fn iso_date(&self) -> String {
        self.0.date().to_string()
    }

    /// `YYYY-MM-DD HH:mm:ss`, the `datetime` attribute the starter writes.
    pub fn machine(&self) -> String {
        self.0.strftime("%Y-%m-%d %H:%M:%S").to_string()
    }

    /// `MM-DD-YYYY`, the starter's display format.
    pub fn display(&self) -> String {
        self.0.strftime("%m-%d-%Y").to_string()
    }

    /// The moment `time` (a file's modification time), in UTC.
    pub fn from_system_time(time: std::time::SystemTime) -> Option<ContentDate> {
        let ts = jiff::Timestamp::try_from(time).ok()?;
        Some(ContentDate(TimeZone::UTC.to_datetime(ts)))
    }

    /// RFC 2822 in UTC (`Wed, 03 Nov 2021 00:00:00 +0000`), for RSS.
    pub fn rfc2822(&self) -> String {
        self.0.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
    }

    /// RFC 3339 in UTC (`2021-11-03T00:00:00Z`), for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        self.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_timestamps() {
        let d = ContentDate::parse("2021-11-03").expect("date");
        assert_eq!(d.display(), "11-03-2021");
        assert_eq!(d.machine(), "2021-11-03 00:00:00");
        let t = ContentDate::parse("2022-01-04T10:00:00.000Z").expect("timestamp");
        assert_eq!(t.machine(), "2022-01-04 10:00:00");
        let o = ContentDate::parse("2022-01-04T01:00:00+02:00").expect("offset");
        assert_eq!(o.machine(), "2022-01-03 23:00:00");
        assert!(ContentDate::parse("2021-13-40").is_none());
        assert!(ContentDate::parse("yesterday").is_none());
        assert!(d < t);
        assert_eq!(d.rfc2822(), "Wed, 03 Nov 2021 00:00:00 +0000");
        assert_eq!(t.rfc3339(), "2022-01-04T10:00:00Z");
    }
}
