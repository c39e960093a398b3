import { fitGbdt } from './fit';
import { resolveParams, type GbdtParams } from './params';
import { predictGbdt } from './predict';

/**
 * A fit function in the shape the search code injects (`(X, n, d, y) => predictor`), for one fixed
 * parameter set. Parameters are checked once, here, not on every fit.
 */
export function gbdtRegressor(
  params: Partial<GbdtParams> = {},
): (X: Float32Array, n: number, d: number, y: Float32Array) => (X: Float32Array, n: number) => Float32Array {
  resolveParams(params);
  return (X, n, d, y) => {
    const model = fitGbdt(X, n, d, y, params);
    return (X2, n2) => predictGbdt(model, X2, n2);
  };
}
