// Luhn (mod 10) is the check key of both SIRET and FINESS: one implementation so both stay right.

/** True when `digits` (only 0-9) passes the Luhn check, doubling every second digit from the right. */
export const luhnValid = (digits: string): boolean => {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
};

/** Sum of the decimal digits, for the La Poste SIRET exception. */
export const digitSum = (digits: string): number => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += digits.charCodeAt(i) - 48;
  return sum;
};
