import { describe, expect, it } from 'vitest';
import { ExportSlots, isRefusal, type ExportSlot } from '@/lib/reports/export-slots';

const granted = (result: ReturnType<ExportSlots['acquire']>): ExportSlot => {
  if (isRefusal(result)) throw new Error(`refused: ${result.message}`);
  return result;
};

describe('export slots', () => {
  it('allows 2 per holder and 4 in all, refusing the next with a sentence', () => {
    const slots = new ExportSlots();
    const a1 = granted(slots.acquire('10.0.0.1'));
    granted(slots.acquire('10.0.0.1'));
    const third = slots.acquire('10.0.0.1');
    expect(third).toEqual({ refused: 'holder', message: 'You already have 2 downloads running; wait for one to finish, then try again.' });
    granted(slots.acquire('10.0.0.2'));
    granted(slots.acquire('10.0.0.3'));
    expect(slots.inUse).toBe(4);
    const fifth = slots.acquire('10.0.0.4');
    expect(isRefusal(fifth) && fifth.refused).toBe('total');
    expect(isRefusal(fifth) && fifth.message).toMatch(/^Washboard is already preparing 4 downloads, its limit; try again in a minute\.$/);

    // A slot comes back once, however often it is released.
    a1.release();
    a1.release();
    expect(slots.inUse).toBe(3);
    granted(slots.acquire('10.0.0.4'));
    expect(isRefusal(slots.acquire('10.0.0.5'))).toBe(true);
    // 10.0.0.1 has one running again, so it may start one more once there is room overall.
    expect(slots.acquire('10.0.0.1')).toMatchObject({ refused: 'total' });
  });

  it('takes its limits from the constructor', () => {
    const slots = new ExportSlots({ perHolder: 1, total: 1 });
    const only = granted(slots.acquire('x'));
    expect(slots.acquire('x')).toMatchObject({ refused: 'holder' });
    expect(slots.acquire('y')).toMatchObject({ refused: 'total' });
    only.release();
    granted(slots.acquire('y'));
  });
});
