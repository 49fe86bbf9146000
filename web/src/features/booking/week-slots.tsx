import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Slot } from '../../api/endpoints';
import { Button } from '../../components/button';
import { addDays, formatDay, formatTime, isoDateIn } from '../../lib/time';

/** Times shown per day before "Show more times". */
const COLLAPSED = 6;

type WeekSlotsProps = {
  from: string;
  days: number;
  timeZone: string;
  today: string;
  slots: readonly Slot[];
  onChoose: (slot: Slot) => void;
};

/** Free times of a week: one column per day on wide screens, one block per day on phones. */
export function WeekSlots({ from, days, timeZone, today, slots, onChoose }: WeekSlotsProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [expanded, setExpanded] = useState(false);
  const byDay = new Map<string, Slot[]>();
  for (const slot of slots) {
    const day = isoDateIn(slot.startsAt, timeZone);
    byDay.set(day, [...(byDay.get(day) ?? []), slot]);
  }
  const dates = Array.from({ length: days }, (_, index) => addDays(from, index));
  const hasMore = dates.some((date) => (byDay.get(date)?.length ?? 0) > COLLAPSED);

  return (
    <>
      <div className="week" id={`${id}-week`}>
        {dates.map((date) => {
          const daySlots = byDay.get(date) ?? [];
          const visible = expanded ? daySlots : daySlots.slice(0, COLLAPSED);
          const longDay = formatDay(date, i18n.language, 'long');
          return (
            <section
              key={date}
              className={daySlots.length === 0 ? 'week__day week__day--empty' : 'week__day'}
              aria-labelledby={`${id}-${date}`}
            >
              <h3 id={`${id}-${date}`} className="week__day-title">
                <span className="week__weekday">
                  {date === today ? t('booking.today') : formatDay(date, i18n.language, 'weekday')}
                </span>
                <span className="week__date">{formatDay(date, i18n.language, 'dayMonth')}</span>
              </h3>
              {daySlots.length === 0 ? (
                <p className="week__none">{t('booking.noSlotsDay')}</p>
              ) : (
                <ul className="week__slots">
                  {visible.map((slot) => (
                    <li key={slot.startsAt}>
                      <button type="button" className="slot" onClick={() => onChoose(slot)}>
                        <span className="visually-hidden">{longDay}, </span>
                        {formatTime(slot.startsAt, timeZone, i18n.language)}
                      </button>
                    </li>
                  ))}
                  {!expanded && daySlots.length > COLLAPSED ? (
                    <li className="week__more small muted" aria-hidden="true">
                      +{daySlots.length - COLLAPSED}
                    </li>
                  ) : null}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      {hasMore ? (
        <div className="week__toggle">
          <Button
            variant="ghost"
            aria-expanded={expanded}
            aria-controls={`${id}-week`}
            onClick={() => setExpanded((value) => !value)}
          >
            {expanded ? t('booking.showFewer') : t('booking.showMore')}
          </Button>
        </div>
      ) : null}
    </>
  );
}
