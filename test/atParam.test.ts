import { describe, expect, it } from "vitest";
import { linkedMoment, parseAt } from "../client/src/lesson/atParam.ts";

describe("the ?at= moment of a link", () => {
  it("takes a plain decimal event number from 1", () => {
    expect(parseAt("1")).toBe(1);
    expect(parseAt("35335")).toBe(35335);
  });

  it("refuses 1e308, hex, fractions, signs, spaces, zero and numbers no run reaches", () => {
    for (const value of [
      "1e308",
      "0x10",
      "1.0",
      "1.5",
      "+3",
      "-1",
      " 5",
      "5 ",
      "0",
      "007",
      "",
      "Infinity",
      "99999999",
    ])
      expect(parseAt(value), value).toBeNull();
    expect(parseAt(null)).toBeNull();
  });
});

describe("a link's moment in the run it opens", () => {
  it("opens the run at event N when the run has it, and at its end when N is its last event", () => {
    expect(linkedMoment(7, 40)).toEqual({ position: 6 });
    expect(linkedMoment(1, 40)).toEqual({ position: 0 });
    expect(linkedMoment(40, 40)).toEqual({ position: null });
  });

  it("refuses an event number past the opened run's last event instead of showing a moment it lacks", () => {
    expect(linkedMoment(41, 40)).toBe("outside");
    expect(linkedMoment(9_999_999, 3)).toBe("outside");
    expect(linkedMoment(1, 0)).toBe("outside");
  });
});
