import { describe, expect, it } from "vitest";
import { GroupCommitWriter, QueueFullError } from "./group-commit.ts";

/** A writer whose write records each group; `maxWaitMs` so long that a test would time out on it. */
function recording(options = {}) {
  const groups: number[][] = [];
  const writer = new GroupCommitWriter<number, string>(
    async (items) => {
      groups.push(items);
      return items.map((i) => `ok ${i}`);
    },
    { maxWaitMs: 60_000, ...options },
  );
  return { writer, groups };
}

const turn = () => new Promise((r) => setTimeout(r, 0));

describe("GroupCommitWriter", () => {
  it("writes concurrent submissions in one group and answers each after the write", async () => {
    const { writer, groups } = recording();
    const answers = [1, 2, 3].map((i) => writer.submit(i));
    await turn();
    expect(groups).toEqual([]); // a fresh writer waits for its group to form
    await writer.drain();
    expect(await Promise.all(answers)).toEqual(["ok 1", "ok 2", "ok 3"]);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it("writes a group at the end of the turn when told its submissions are a group already", async () => {
    const { writer, groups } = recording();
    // Submitted from promise callbacks, as the origin's sink does after its own awaits.
    const answers = [1, 2, 3].map((i) => Promise.resolve().then(() => writer.submit(i)));
    writer.flushSoon();
    // A fresh writer would wait the full minute for more and time the test out.
    expect(await Promise.all(answers)).toEqual(["ok 1", "ok 2", "ok 3"]);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it("writes the next group as soon as the previous group's submitters are all back", async () => {
    const { writer, groups } = recording();
    const first = [1, 2, 3].map((i) => writer.submit(i));
    await writer.drain();
    await Promise.all(first);
    const second = [writer.submit(4), writer.submit(5)];
    await turn();
    expect(groups).toHaveLength(1); // two of three back: keep waiting
    second.push(writer.submit(6));
    // Without the early write this would wait the full minute and time the test out.
    expect(await Promise.all(second)).toEqual(["ok 4", "ok 5", "ok 6"]);
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("refuses submissions beyond its bound and keeps those it took", async () => {
    const { writer } = recording({ maxQueue: 2 });
    const taken = [writer.submit(1), writer.submit(2)];
    await expect(writer.submit(3)).rejects.toBeInstanceOf(QueueFullError);
    await writer.drain();
    expect(await Promise.all(taken)).toEqual(["ok 1", "ok 2"]);
  });

  it("refuses submissions beyond its byte bound, takes one oversized item alone, and frees the bytes on commit", async () => {
    const { writer } = recording({ maxQueueBytes: 100 });
    const taken = [writer.submit(1, 60), writer.submit(2, 40)];
    await expect(writer.submit(3, 1)).rejects.toBeInstanceOf(QueueFullError);
    await writer.drain();
    expect(await Promise.all(taken)).toEqual(["ok 1", "ok 2"]);
    // Committed: the bytes are free again, and an item over the whole bound goes through when alone.
    const big = writer.submit(4, 500);
    await expect(writer.submit(5, 1)).rejects.toBeInstanceOf(QueueFullError);
    await writer.drain();
    expect(await big).toBe("ok 4");
  });
});
