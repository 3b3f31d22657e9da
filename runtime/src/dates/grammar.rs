//! The text forms of Graph's date and time types (RFC 3339 and ISO 8601), checked without
//! dependencies. The generator reads this same file (`#[path]`), so that the example values it calls
//! valid are exactly the ones the runtime decodes.

/// The fields of a date and time as written. `nanosecond` keeps the first nine fraction digits;
/// Graph writes seven, which the text itself keeps exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateTimeParts {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub nanosecond: u32,
    /// Minutes east of UTC; `None` when the text has no offset (read as UTC).
    pub offset_minutes: Option<i16>,
}

/// The parts of an ISO 8601 duration (`P1DT2H30M`, `-PT0.5S`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DurationParts {
    pub negative: bool,
    pub years: u64,
    pub months: u64,
    pub weeks: u64,
    pub days: u64,
    pub hours: u64,
    pub minutes: u64,
    pub seconds: u64,
    pub nanoseconds: u32,
}

struct Cursor<'a> {
    text: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, count: usize) -> Option<u32> {
        let slice = self.text.get(self.at..self.at + count)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.at += count;
        Some(slice.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.text.get(self.at).is_some_and(|b| b.eq_ignore_ascii_case(&byte));
        self.at += usize::from(found);
        found
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn done(&self) -> bool {
        self.at == self.text.len()
    }

    /// A run of digits, at least one: its value (saturating) and its length.
    fn number(&mut self) -> Option<(u64, usize)> {
        let start = self.at;
        let mut value: u64 = 0;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            value = value.saturating_mul(10).saturating_add(u64::from(d - b'0'));
            self.at += 1;
        }
        (self.at > start).then_some((value, self.at - start))
    }

    /// `.123…`: the fraction as nanoseconds (digits beyond nine are checked and dropped).
    fn fraction(&mut self) -> Option<u32> {
        if !(self.eat(b'.') || self.eat(b',')) {
            return Some(0);
        }
        let start = self.at;
        let (_, len) = self.number()?;
        let digits = &self.text[start..start + len];
        let nanos = (0..9).fold(0u32, |n, i| n * 10 + digits.get(i).map_or(0, |d| u32::from(d - b'0')));
        Some(nanos)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn date_in(cursor: &mut Cursor<'_>) -> Option<(i32, u8, u8)> {
    let year = cursor.digits(4)? as i32;
    cursor.eat(b'-').then_some(())?;
    let month = cursor.digits(2)? as u8;
    cursor.eat(b'-').then_some(())?;
    let day = cursor.digits(2)? as u8;
    ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some((year, month, day))
}

/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fffffff`.
fn time_in(cursor: &mut Cursor<'_>) -> Option<(u8, u8, u8, u32)> {
    let hour = cursor.digits(2)? as u8;
    cursor.eat(b':').then_some(())?;
    let minute = cursor.digits(2)? as u8;
    let (second, nanos) = if cursor.eat(b':') { (cursor.digits(2)? as u8, cursor.fraction()?) } else { (0, 0) };
    // 60 is a leap second.
    (hour < 24 && minute < 60 && second <= 60).then_some((hour, minute, second, nanos))
}

/// `YYYY-MM-DD`.
pub fn date(text: &str) -> Option<(i32, u8, u8)> {
    let mut cursor = Cursor { text: text.as_bytes(), at: 0 };
    let date = date_in(&mut cursor)?;
    cursor.done().then_some(date)
}

/// `HH:MM[:SS[.fraction]]`: hour, minute, second, nanosecond.
pub fn time_of_day(text: &str) -> Option<(u8, u8, u8, u32)> {
    let mut cursor = Cursor { text: text.as_bytes(), at: 0 };
    let time = time_in(&mut cursor)?;
    cursor.done().then_some(time)
}

/// `YYYY-MM-DDTHH:MM[:SS[.fraction]]` with `Z`, `±HH:MM` or (as some Graph values are written) no offset.
pub fn date_time_offset(text: &str) -> Option<DateTimeParts> {
    let mut cursor = Cursor { text: text.as_bytes(), at: 0 };
    let (year, month, day) = date_in(&mut cursor)?;
    (cursor.eat(b'T') || cursor.eat(b' ')).then_some(())?;
    let (hour, minute, second, nanosecond) = time_in(&mut cursor)?;
    let offset_minutes = if cursor.done() {
        None
    } else if cursor.eat(b'Z') {
        Some(0)
    } else {
        let sign = match cursor.peek()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        cursor.at += 1;
        let hours = cursor.digits(2)? as i16;
        cursor.eat(b':');
        let minutes = cursor.digits(2)? as i16;
        if hours > 23 || minutes > 59 {
            return None;
        }
        Some(sign * (hours * 60 + minutes))
    };
    cursor.done().then_some(DateTimeParts { year, month, day, hour, minute, second, nanosecond, offset_minutes })
}

/// `[-]P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]`, with at least one part.
pub fn duration(text: &str) -> Option<DurationParts> {
    let mut cursor = Cursor { text: text.as_bytes(), at: 0 };
    let mut parts = DurationParts { negative: cursor.eat(b'-'), ..DurationParts::default() };
    if !parts.negative {
        cursor.eat(b'+');
    }
    cursor.eat(b'P').then_some(())?;
    let mut any = false;
    let mut in_time = false;
    // Each designator once, in order.
    let mut last = 0;
    while !cursor.done() {
        if !in_time && cursor.eat(b'T') {
            in_time = true;
            // `T` must be followed by a part.
            cursor.peek().filter(u8::is_ascii_digit)?;
            continue;
        }
        let (value, _) = cursor.number()?;
        let nanos = cursor.fraction()?;
        let designator = cursor.peek()?.to_ascii_uppercase();
        cursor.at += 1;
        let (rank, slot) = match (in_time, designator) {
            (false, b'Y') => (1, &mut parts.years),
            (false, b'M') => (2, &mut parts.months),
            (false, b'W') => (3, &mut parts.weeks),
            (false, b'D') => (4, &mut parts.days),
            (true, b'H') => (5, &mut parts.hours),
            (true, b'M') => (6, &mut parts.minutes),
            (true, b'S') => (7, &mut parts.seconds),
            _ => return None,
        };
        // Only seconds take a fraction here.
        if rank <= last || (nanos != 0 && rank != 7) {
            return None;
        }
        last = rank;
        *slot = value;
        if rank == 7 {
            parts.nanoseconds = nanos;
        }
        any = true;
    }
    any.then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_as_graph_writes_them() {
        let parts = date_time_offset("2021-03-04T05:06:07.1234567Z").unwrap();
        assert_eq!((parts.year, parts.month, parts.day, parts.second), (2021, 3, 4, 7));
        assert_eq!((parts.nanosecond, parts.offset_minutes), (123_456_700, Some(0)));
        assert_eq!(date_time_offset("2021-03-04T05:06:07+05:30").unwrap().offset_minutes, Some(330));
        assert_eq!(date_time_offset("2021-03-04T05:06-08:00").unwrap().offset_minutes, Some(-480));
        assert_eq!(date_time_offset("2021-03-04T05:06:07").unwrap().offset_minutes, None);
        assert!(date_time_offset("2024-02-29T00:00:00Z").is_some(), "a leap day");
        for bad in ["not a date", "2023-02-29T00:00:00Z", "2021-13-01T00:00:00Z", "2021-03-04", "2021-03-04T25:00:00Z"]
        {
            assert!(date_time_offset(bad).is_none(), "{bad}");
        }
        assert!(date_time_offset("2021-03-04T05:06:07Zjunk").is_none());
        assert!(date_time_offset("String (timestamp)").is_none());
    }

    #[test]
    fn dates_times_of_day_and_durations() {
        assert_eq!(date("2021-12-31"), Some((2021, 12, 31)));
        assert!(date("2021-12-32").is_none() && date("21-12-31").is_none());
        assert_eq!(time_of_day("08:30:00.0000000"), Some((8, 30, 0, 0)));
        assert_eq!(time_of_day("17:00"), Some((17, 0, 0, 0)));
        assert!(time_of_day("24:00:00").is_none());
        let parts = duration("P1DT2H30M0.5S").unwrap();
        assert_eq!(
            (parts.days, parts.hours, parts.minutes, parts.seconds, parts.nanoseconds),
            (1, 2, 30, 0, 500_000_000)
        );
        assert!(duration("-PT15M").unwrap().negative);
        assert_eq!(duration("P2W").unwrap().weeks, 2);
        for bad in ["P", "PT", "P1H", "PT1D", "P1M1Y", "1D", "P1.5D", "PT1H "] {
            assert!(duration(bad).is_none(), "{bad}");
        }
    }
}
