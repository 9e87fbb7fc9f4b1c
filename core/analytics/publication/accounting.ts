/**
 * Privacy accounting of the publication: what a given noise variance and
 * threshold guarantee, and the smallest ones that meet a target (ε, δ).
 * Floating point is fine here: it chooses parameters, it draws nothing.
 *
 * The mechanism: each certificate's bounded count (one unit, a network prefix
 * on one day, changes at most `certificatesPerPrefix` counts by at most
 * `perPrefix` each, so its L2 sensitivity is perPrefix * sqrt(certificatesPerPrefix))
 * plus discrete Gaussian noise of variance σ², published only when the noisy
 * count reaches the threshold τ.
 * - Counts: ρ-zCDP with ρ = K·P² / (2σ²) (Canonne-Kamath-Steinke 2020, Thm 14),
 *   hence (ε, δ_counts)-DP by their Corollary 13.
 * - Certificates only the unit asked about exist in one neighbour and not in
 *   the other: at most K of them, each with a true count of at most P, so one
 *   of them is published with probability δ_selection <= K · P[Z >= τ - P].
 * - Together (ε, δ_counts + e^ε δ_selection / (1 - δ_selection))-DP.
 */

export interface NoiseSettings {
  /** P: the most one network prefix adds to one certificate's count. */
  readonly perPrefix: number;
  /** K: how many certificates' counts one network prefix adds to. */
  readonly certificatesPerPrefix: number;
  /** σ² of the discrete Gaussian noise, an integer. */
  readonly noiseVariance: number;
  /** τ: noisy counts below it are not published. */
  readonly threshold: number;
}

export interface PrivacyGuarantee {
  /** zCDP of the noisy counts alone. */
  readonly rho: number;
  readonly epsilon: number;
  readonly delta: number;
  /** Parts of δ: the counts' conversion from zCDP, and publishing a certificate only the unit asked about. */
  readonly deltaCounts: number;
  readonly deltaSelection: number;
}

/** δ of a ρ-zCDP mechanism at ε (CKS 2020 Corollary 13), minimised over the Rényi order. */
export function deltaOfZcdp(rho: number, epsilon: number): number {
  let best = 1;
  // The minimum over α > 1 is smooth and unimodal; a fine geometric grid finds it.
  for (let alpha = 1.0001; alpha < 1e5; alpha *= 1.002) {
    const logDelta =
      (alpha - 1) * (alpha * rho - epsilon) - Math.log(alpha - 1) + alpha * Math.log1p(-1 / alpha);
    best = Math.min(best, Math.exp(logDelta));
  }
  return best;
}

/** P[Z >= m] for Z discrete Gaussian with integer variance σ², summed term by term. */
export function discreteGaussianTail(variance: number, m: number): number {
  const reach = Math.ceil(Math.sqrt(variance) * 40) + Math.abs(m) + 1;
  let total = 0;
  let tail = 0;
  for (let z = -reach; z <= reach; z++) {
    const weight = Math.exp((-z * z) / (2 * variance));
    total += weight;
    if (z >= m) tail += weight;
  }
  return tail / total;
}

/** What the settings guarantee per unit at a given ε. */
export function guaranteeAt(settings: NoiseSettings, epsilon: number): PrivacyGuarantee {
  const { perPrefix: p, certificatesPerPrefix: k, noiseVariance, threshold } = settings;
  const rho = (k * p * p) / (2 * noiseVariance);
  const deltaCounts = deltaOfZcdp(rho, epsilon);
  const deltaSelection = Math.min(1, k * discreteGaussianTail(noiseVariance, threshold - p));
  const delta = deltaCounts + (Math.exp(epsilon) * deltaSelection) / (1 - deltaSelection);
  return { rho, epsilon, delta, deltaCounts, deltaSelection };
}

/** The smallest integer n >= from for which a monotone (false..., true...) predicate holds. */
function smallestInteger(from: number, holds: (n: number) => boolean): number {
  let step = 1;
  while (!holds(from + step - 1)) step *= 2;
  let low = from + Math.floor(step / 2) - 1; // fails (or is below from)
  let high = from + step - 1; // holds
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (holds(mid)) high = mid;
    else low = mid;
  }
  return high;
}

/**
 * The smallest integer σ² whose counts meet (ε, δ/2), then the smallest τ
 * whose selection meets the rest of δ: the least noise and the least
 * suppression that keep the promise.
 */
export function calibrate(target: {
  readonly epsilon: number;
  readonly delta: number;
  readonly perPrefix: number;
  readonly certificatesPerPrefix: number;
}): { noiseVariance: number; threshold: number } {
  const { epsilon, delta, perPrefix: p, certificatesPerPrefix: k } = target;
  if (!(epsilon > 0) || !(delta > 0 && delta < 1))
    throw new RangeError(`need epsilon > 0 and 0 < delta < 1, got ${epsilon}, ${delta}`);
  const noiseVariance = smallestInteger(
    1,
    (variance) => deltaOfZcdp((k * p * p) / (2 * variance), epsilon) <= delta / 2,
  );
  const threshold = smallestInteger(
    p + 1,
    (tau) => guaranteeAt({ ...target, noiseVariance, threshold: tau }, epsilon).delta <= delta,
  );
  return { noiseVariance, threshold };
}
