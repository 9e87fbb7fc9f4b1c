import {
  calibrate,
  deltaOfZcdp,
  discreteGaussianTail,
  guaranteeAt,
} from '../../../../core/analytics/publication/accounting';
import { PUBLICATION_PARAMETERS } from '../../../../core/analytics/publication';

/** P[N(0,1) > x] by Simpson's rule: an independent route to the Gaussian tail. */
function normalTail(x: number): number {
  const steps = 20_000;
  const h = 40 / steps;
  const f = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let sum = f(x) + f(x + 40);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(x + i * h);
  return (sum * h) / 3;
}

describe('privacy accounting', () => {
  it.each([
    [0.0192, 1],
    [0.07, 2],
    [0.5, 3],
    [0.005, 0.5],
  ])(
    'puts δ of ρ = %f at ε = %f between the exact Gaussian curve and the classic bound',
    (rho, epsilon) => {
      const delta = deltaOfZcdp(rho, epsilon);
      // Classic conversion (Bun-Steinke 2016): δ = exp(-(ε-ρ)²/(4ρ)); CKS's is tighter.
      expect(delta).toBeLessThanOrEqual(Math.exp(-((epsilon - rho) ** 2) / (4 * rho)));
      // Balle-Wang 2018: the exact (ε, δ) of a Gaussian with Δ/σ = sqrt(2ρ); no conversion can beat it.
      const ratio = Math.sqrt(2 * rho);
      const exact =
        normalTail(epsilon / ratio - ratio / 2) -
        Math.exp(epsilon) * normalTail(epsilon / ratio + ratio / 2);
      expect(delta).toBeGreaterThanOrEqual(exact);
      expect(delta).toBeLessThan(10 * exact);
    },
  );

  it('sums the discrete Gaussian tail like the continuous one, a little heavier', () => {
    expect(discreteGaussianTail(417, 0)).toBeCloseTo(0.5 + 0.5 / Math.sqrt(2 * Math.PI * 417), 4);
    const continuous = normalTail(60 / Math.sqrt(417));
    expect(discreteGaussianTail(417, 60)).toBeGreaterThan(continuous);
    expect(discreteGaussianTail(417, 60)).toBeLessThan(1.2 * continuous);
  });

  it('calibrates the production parameters to σ² = 417 and τ = 124, meeting ε = 1, δ = 1e-7', () => {
    const noise = calibrate(PUBLICATION_PARAMETERS);
    expect(noise).toEqual({ noiseVariance: 417, threshold: 124 });
    const guarantee = guaranteeAt({ ...PUBLICATION_PARAMETERS, ...noise }, 1);
    expect(guarantee.rho).toBeCloseTo(16 / (2 * 417), 10);
    expect(guarantee.delta).toBeLessThanOrEqual(1e-7);
    expect(guarantee.deltaCounts).toBeLessThanOrEqual(0.5e-7);
  });

  it('calibrates to the least noise and the lowest threshold that keep the promise', () => {
    const { noiseVariance, threshold } = calibrate(PUBLICATION_PARAMETERS);
    const at = (variance: number, tau: number) =>
      guaranteeAt({ ...PUBLICATION_PARAMETERS, noiseVariance: variance, threshold: tau }, 1);
    expect(at(noiseVariance - 1, threshold).deltaCounts).toBeGreaterThan(0.5e-7);
    expect(at(noiseVariance, threshold - 1).delta).toBeGreaterThan(1e-7);
  });

  it('needs more noise for more certificates per prefix, a larger prefix bound or a smaller ε', () => {
    const base = calibrate(PUBLICATION_PARAMETERS);
    const more = (change: object) => calibrate({ ...PUBLICATION_PARAMETERS, ...change });
    expect(more({ certificatesPerPrefix: 64 }).noiseVariance).toBeCloseTo(
      4 * base.noiseVariance,
      -1,
    );
    expect(more({ perPrefix: 2 }).noiseVariance).toBeCloseTo(4 * base.noiseVariance, -1);
    expect(more({ epsilon: 0.5 }).noiseVariance).toBeGreaterThan(3 * base.noiseVariance);
    expect(more({ epsilon: 0.5 }).threshold).toBeGreaterThan(base.threshold);
  });

  it('refuses ε or δ outside their range', () => {
    expect(() => calibrate({ ...PUBLICATION_PARAMETERS, epsilon: 0 })).toThrow(/epsilon > 0/);
    expect(() => calibrate({ ...PUBLICATION_PARAMETERS, delta: 1 })).toThrow(/0 < delta < 1/);
  });
});
