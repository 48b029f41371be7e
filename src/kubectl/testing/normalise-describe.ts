// Shared by the describe comparisons with the real kubectl 1.32 (kubectl-vs-real-describe and -audit tests).

/**
 * describe output as comparable rows: each line's cells joined by "|" (column padding follows the widest age,
 * so it is collapsed), with every event's age (the Events table's third cell) and every pod age in a node's
 * "Non-terminated Pods" table (its last cell) blanked to "*".
 */
export function normaliseDescribe(text: string): string[] {
  let inPods = false;
  return text.split('\n').map((line) => {
    if (line.startsWith('Non-terminated Pods:')) inPods = true;
    if (line.startsWith('Allocated resources:')) inPods = false;
    const cells = line.trim().split(/ {2,}/);
    if (/^ {2}(Normal|Warning) /.test(line)) cells[2] = '*';
    else if (inPods && line.startsWith('  ') && !line.startsWith('  Namespace') && !line.startsWith('  ---')) cells[cells.length - 1] = '*';
    return cells.join('|');
  });
}
