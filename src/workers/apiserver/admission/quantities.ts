import { parseQuantity } from '../../../api/quantity';
import { QuantitySum } from '../../controller-manager/quota-usage';

/** Quantity helpers for the admission plugins: exact milli-units as BigInt, printed as Quantity.String(). */

/** MilliValue as a BigInt (0 when absent or malformed: objects here are already validated). */
export function milli(text: string | number | undefined): bigint {
  if (text === undefined) return 0n;
  try {
    return BigInt(Math.round(parseQuantity(String(text)).milli));
  } catch {
    return 0n;
  }
}

/** Quantity.String() of a milli-unit amount, in the format (binary or decimal) of `like`. */
export function formatMilli(m: bigint, like?: string | number): string {
  const sum = new QuantitySum();
  sum.add(like === undefined ? '1' : String(like));
  sum.milli = m;
  return sum.toString();
}

/** Quantity.String() of a quantity as written (canonical form: "1000m" → "1", "1024Mi" → "1Gi"). */
export function quantityString(text: string | number | undefined): string {
  return formatMilli(milli(text), text);
}

/** utilerrors.NewAggregate(errs).Error(): one message as is, several deduplicated in "[a, b]". */
export function aggregateMessages(msgs: string[]): string {
  const uniq = [...new Set(msgs)];
  return uniq.length === 1 ? uniq[0] : `[${uniq.join(', ')}]`;
}
