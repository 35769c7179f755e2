import { useCallback, useEffect, useState } from 'react';
import { fetchHealth, type Health } from './health';

interface HealthState {
  health?: Health;
  error?: Error;
  loading: boolean;
}

export function useHealth() {
  const [state, setState] = useState<HealthState>({ loading: true });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    // Abort on unmount/refresh so a slow answer never overwrites a newer one.
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    fetchHealth(controller.signal).then(
      (health) => setState({ health, loading: false }),
      (error: Error) => {
        if (!controller.signal.aborted) setState({ error, loading: false });
      },
    );
    return () => controller.abort();
  }, [generation]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, refresh };
}
