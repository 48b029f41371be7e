import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import type { EventRecorder } from '../../client/event-recorder';
import type { ImageService } from '../runtime/cri';
import { Backoff } from './backoff';
import { defaultPullPolicy, goDuration, goQuote } from './go-format';

/** Why a container cannot start yet: the waiting reason (ErrImagePull, ImagePullBackOff, …) and its message. */
export class StartFailure extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'StartFailure';
  }
}

/**
 * kubelet 1.32's image manager (EnsureImageExists): honours imagePullPolicy, records the Pulling/Pulled/
 * Failed/BackOff events with kubelet's texts, and keeps the per pod-and-image pull back-off (10s doubling
 * to 300s on the Clock). Rejects with StartFailure(ErrImagePull | ImagePullBackOff | ErrImageNeverPull).
 */
export class ImageManager {
  readonly backoff: Backoff;
  private readonly prevPullErr = new Map<string, string>();

  constructor(
    private readonly images: ImageService,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
  ) {
    this.backoff = new Backoff(clock, 10_000, 300_000);
  }

  /** Resolves with the image reference once the image is present. */
  async ensure(pod: Pod, container: Container, fieldPath: string): Promise<string> {
    const image = container.image ?? '';
    const ev = (type: 'Normal' | 'Warning', reason: string, msg: string) => this.recorder.event({ kind: 'Pod', ...pod }, type, reason, msg, fieldPath);
    const policy = container.imagePullPolicy ?? defaultPullPolicy(image);
    const present = policy === 'Always' ? undefined : await this.images.imageStatus({ image });
    if (policy !== 'Always') {
      if (present) {
        ev('Normal', 'Pulled', `Container image ${goQuote(image)} already present on machine`);
        return present.repoDigests[0] ?? present.id;
      }
      if (policy === 'Never') {
        const msg = `Container image ${goQuote(image)} is not present with pull policy of Never`;
        ev('Warning', 'ErrImageNeverPull', msg);
        throw new StartFailure('ErrImageNeverPull', msg);
      }
    }
    const key = `${pod.metadata?.uid}_${image}`;
    const now = this.clock.now();
    if (this.backoff.isInBackOffSinceUpdate(key, now)) {
      let msg = `Back-off pulling image ${goQuote(image)}`;
      ev('Normal', 'BackOff', msg);
      const prev = this.prevPullErr.get(key);
      if (prev) msg = `${msg}: ${prev}`;
      throw new StartFailure('ImagePullBackOff', msg);
    }
    this.prevPullErr.delete(key);
    ev('Normal', 'Pulling', `Pulling image ${goQuote(image)}`);
    let ref: string;
    try {
      ref = await this.images.pullImage({ image });
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      ev('Warning', 'Failed', `Failed to pull image ${goQuote(image)}: ${text}`);
      this.backoff.next(key, this.clock.now());
      this.prevPullErr.set(key, `ErrImagePull: ${text}`);
      throw new StartFailure('ErrImagePull', text);
    }
    const took = goDuration(this.clock.now() - now);
    const size = (await this.images.imageStatus({ image }).catch(() => undefined))?.size ?? 0;
    ev('Normal', 'Pulled', `Successfully pulled image ${goQuote(image)} in ${took} (${took} including waiting). Image size: ${size} bytes.`);
    return ref;
  }

  /** Ms until the pod's pull back-off for image ends (0 when none). */
  remaining(pod: Pod, image: string): number {
    return this.backoff.remainingSinceUpdate(`${pod.metadata?.uid}_${image}`);
  }

  forgetPod(uid: string): void {
    this.backoff.forgetPrefix(`${uid}_`);
    for (const k of [...this.prevPullErr.keys()]) if (k.startsWith(`${uid}_`)) this.prevPullErr.delete(k);
  }
}
