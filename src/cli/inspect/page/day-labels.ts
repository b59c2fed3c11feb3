/** One day's axis label: `MM-DD`, and its year under the first day shown of each year. */
export interface DayLabel {
  readonly day: string
  /** `YYYY` on the first day of each year when the days span years, else `null`. */
  readonly year: string | null
}

/**
 * Axis labels for days given as `YYYY-MM-DD`, oldest first: `MM-DD` each, and when they span
 * years, the year under the first day of each (2024-03-14 and 2026-03-02 do not read as 03-14
 * and 03-02).
 */
export function dayLabels(days: readonly string[]): DayLabel[] {
  const spansYears = new Set(days.map((d) => d.slice(0, 4))).size > 1
  return days.map((d, i) => {
    const year = d.slice(0, 4)
    const first = i === 0 || (days[i - 1] as string).slice(0, 4) !== year
    return { day: d.slice(5), year: spansYears && first ? year : null }
  })
}
