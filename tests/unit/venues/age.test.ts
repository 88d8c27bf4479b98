import { describe, expect, it } from 'vitest';
import {
  ageOn,
  formatVenueTime,
  localDate,
  localDayRange,
  parseVenueTime,
  utcOffsetMinutes,
} from '../../../kiosk/venues/time.ts';

describe('ageOn', () => {
  it('counts completed years, turning on the birthday itself', () => {
    expect(ageOn('2008-11-23', '2026-11-22')).toBe(17);
    expect(ageOn('2008-11-23', '2026-11-23')).toBe(18);
    expect(ageOn('2008-11-23', '2026-11-24')).toBe(18);
    expect(ageOn('2008-12-01', '2026-11-30')).toBe(17);
  });

  it('gives someone born on 29 February their birthday on 1 March in non-leap years by default', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2026-02-28', 'feb-28')).toBe(18);
    expect(ageOn('2008-02-29', '2026-02-27', 'feb-28')).toBe(17);
    // In a leap year the birthday is 29 February under either rule.
    expect(ageOn('2000-02-29', '2018-02-28')).toBe(17);
    expect(ageOn('2000-02-29', '2028-02-28', 'mar-1')).toBe(27);
    expect(ageOn('2000-02-29', '2028-02-29', 'mar-1')).toBe(28);
  });

  it('reads partial MRZ birth dates as the latest possible date', () => {
    expect(ageOn('2008-11-XX', '2026-11-29')).toBe(17);
    expect(ageOn('2008-11-XX', '2026-11-30')).toBe(18);
    expect(ageOn('2008-XX-XX', '2026-12-30')).toBe(17);
    expect(ageOn('2008-XX-XX', '2026-12-31')).toBe(18);
    expect(ageOn('2008', '2026-06-01')).toBe(17);
    // Unknown day in February 2008 = the 29th, whose birthday in 2026 is 1 March.
    expect(ageOn('2008-02-00', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-00', '2026-03-01')).toBe(18);
  });

  it('refuses impossible or future dates', () => {
    expect(ageOn('2007-02-29', '2026-01-01')).toBeUndefined();
    expect(ageOn('2008-13-01', '2026-01-01')).toBeUndefined();
    expect(ageOn('17/05/1990', '2026-01-01')).toBeUndefined();
    expect(ageOn('2030-01-01', '2026-01-01')).toBeUndefined();
  });
});

describe('local time', () => {
  // 2026-11-22T16:30:00Z is 00:30 on 23 November in Shanghai, still the 22nd in UTC and New York.
  const t = Date.UTC(2026, 10, 22, 16, 30);
  it('takes the calendar date in the kiosk time zone', () => {
    expect(localDate(t, 'Asia/Shanghai')).toBe('2026-11-23');
    expect(localDate(t, 'UTC')).toBe('2026-11-22');
    expect(localDate(t, 'America/New_York')).toBe('2026-11-22');
    expect(utcOffsetMinutes(t, 'Asia/Shanghai')).toBe(480);
    expect(utcOffsetMinutes(t, 'America/New_York')).toBe(-300);
  });

  it('parses ticket times with and without an offset', () => {
    expect(parseVenueTime('2026-11-23T18:00:00+08:00', 'UTC')).toBe(Date.UTC(2026, 10, 23, 10));
    expect(parseVenueTime('2026-11-23 18:00', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 23, 10));
    expect(parseVenueTime('2026-11-23T10:00Z', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 23, 10));
    expect(parseVenueTime('2026-11-23', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 22, 16));
    // New York, summer time (UTC-4) vs winter (UTC-5)
    expect(parseVenueTime('2026-07-01 12:00', 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 16));
    expect(parseVenueTime('2026-12-01 12:00', 'America/New_York')).toBe(Date.UTC(2026, 11, 1, 17));
    for (const bad of ['2026-02-30 10:00', '2026-11-23 25:00', 'tomorrow', '2026-11-23+08:00', '']) {
      expect(parseVenueTime(bad, 'UTC'), bad).toBeUndefined();
    }
  });

  it('formats with the offset and the local day range', () => {
    expect(formatVenueTime(t, 'Asia/Shanghai')).toBe('2026-11-23T00:30:00+08:00');
    const [a, b] = localDayRange('2026-11-23', 'Asia/Shanghai');
    expect(a).toBe(Date.UTC(2026, 10, 22, 16));
    expect(b - a).toBe(86_400_000);
  });
});
