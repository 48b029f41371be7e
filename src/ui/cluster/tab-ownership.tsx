import { useEffect, useState } from 'react';

type State = 'leader' | 'elsewhere' | 'taking-over' | 'moved';

/**
 * Says when the cluster runs in another tab of this browser, and lets the user move it here
 * (window.tabernetes.takeOver: the other tab stops its Workers first, then this one boots).
 */
export function TabOwnership() {
  const [state, setState] = useState<State>('leader');
  useEffect(() => {
    const on = (name: string, next: State) => {
      const h = () => setState(next);
      window.addEventListener(name, h);
      return () => window.removeEventListener(name, h);
    };
    const offs = [on('tabernetes:elsewhere', 'elsewhere'), on('tabernetes:owner', 'leader'), on('tabernetes:moved', 'moved')];
    // The page may have learned it is not the leader before this component mounted.
    if (window.tabernetes?.takeOver) setState('elsewhere');
    return () => offs.forEach((off) => off());
  }, []);
  if (state === 'leader') return null;
  return (
    <div className="tab-ownership" role="alertdialog" data-testid="tab-ownership" data-state={state}>
      {state === 'moved' ? (
        <>
          <p>This cluster is now running in another tab.</p>
          <button onClick={() => location.reload()}>Take it back here</button>
        </>
      ) : (
        <>
          <p>Tabernetes is already running in another tab of this browser. One tab runs the cluster at a time.</p>
          <button
            data-testid="take-over"
            disabled={state === 'taking-over'}
            onClick={() => {
              setState('taking-over');
              void window.tabernetes.takeOver?.();
            }}
          >
            {state === 'taking-over' ? 'Taking over…' : 'Take over here'}
          </button>
        </>
      )}
    </div>
  );
}
