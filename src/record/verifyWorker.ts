// Web Worker: reads and verifies a record file off the main thread, so a hostile file (a
// million members, say) never stalls the Verify page: the page keeps answering clicks, and can
// stop the check by ending the worker.
import '../checklist/jitless.ts';
import { readAndVerify, type VerifyReply, type VerifyRequest } from './verifyFile.ts';

self.onmessage = (event: MessageEvent<VerifyRequest>) => {
  void readAndVerify(event.data.file).then((reply: VerifyReply) => {
    (self as unknown as { postMessage: (m: VerifyReply) => void }).postMessage(reply);
  });
};
