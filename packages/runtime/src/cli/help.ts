export const helpText = `sa3: run Stable Audio 3 workflows from the command line

A workflow is a JSON file of nodes (load audio, generate, trim, convert, save...)
joined by wires. Build one in the editor or write it by hand; examples/ has some.

Usage:
  sa3 run FILE [--set node.param=value]... [--out DIR] [--json] [--report PATH]
               [--no-cache] [--repeat N]
      Run a workflow. FILE is a .json workflow or an audio file that sa3 saved
      (it carries its workflow). Shows a progress line per node; writes the
      files of every audio.save node into DIR (default ./out) and a run report
      (seeds used, timings, cache hits, sha256 of each output).
        --set node.param=value   change a param for this run, e.g.
                                 --set convert.mp3_bitrate=320 --set gen.seed=42
        --json                   print events as JSON lines instead of progress bars
        --report PATH            where to write the run report (default:
                                 DIR/<run id>.report.json after a successful run)
        --no-cache               generate again even when an earlier run made
                                 the same audio. Model nodes' audio is kept in
                                 $SA3_HOME/cache (SA3_CACHE_MAX_MB, default
                                 4096; SA3_CACHE=off turns it off), so a second
                                 run that changes only later params reuses it.
        --repeat N               run N takes (1-16) one after another, each
                                 with its own outputs and report: seeds of -1
                                 are drawn per take, others step by the
                                 file's seed control (meta.seedControl:
                                 fixed, increment, randomize); no file is
                                 overwritten

  sa3 generate PROMPT [--duration S] [--out FILE] [options]
      Make audio from a prompt in one command (the hosted stable-audio-3-medium
      model's options). Shows a progress bar per sampling step.
        --duration S             length in seconds, 1-380 (default 30)
        --out FILE               output file (default sa3-output.wav); its
                                 extension picks the format unless --format
        --format wav|mp3|flac|ogg
        --negative TEXT          qualities to avoid (base models, with --cfg)
        --steps N                sampling steps, 4-50 (default 8)
        --cfg X                  guidance scale, 0.5-15 (default 1: off)
        --seed N                 -1 for random (default); the seed used is printed
        --model ID               installed pack to use (default: the best one)
        --init-audio FILE        edit this audio along the prompt, with
        --init-noise-level X     0.01-1: how far it may move (default 0.9)
        --inpaint-audio FILE     regenerate the region --start S to --end S of
                                 this audio; --start at its length extends it
        --region START:END       with --inpaint-audio, a region to regenerate
                                 (repeat for several, all in one pass)
        --lora FILE[:STRENGTH]   apply a LoRA file (path or installed name;
                                 strength default 1, negative allowed);
                                 repeat to stack them, applied in order
        --no-cache               as for run

  sa3 serve [--host H] [--port P] [--token T] [--queue N] [--files DIR]
            [--outputs DIR] [--output-urls] [--no-cache]
            [--replicate-model OWNER/NAME] [--public-url URL]
            [--lora FILE[:STRENGTH] ...] [--redis URL] [--rate-limit N/min]
      One server for the editor and for HTTP clients, on 127.0.0.1:7860:
      the Cog predictions API with the hosted stable-audio-3-medium input
      schema (POST /predictions, PUT /predictions/{id}, GET /health-check,
      GET /openapi.json) and the workflow API (POST /api/runs, events over
      SSE). --token (or SA3_TOKEN) requires "Authorization: Bearer <token>"
      on the API; the editor URL it prints (.../#token=T) hands it over;
      --queue N caps queued + running runs (default 16, more get 409);
      as a Cog container, /predictions runs one at a time and answers 409
      "Already running a prediction" while a run is in hand, unless
      --queue N is given (then up to N);
      --files is the folder workflow audio paths may read from (examples/);
      --output-urls returns prediction outputs as URLs, not data: URIs;
      model results are kept in $SA3_HOME/cache as for run (--no-cache).
      --lora applies LoRA files (in order) to every Cog and Replicate
      prediction; their input schema stays the hosted model's.
      Every run that started is kept in $SA3_HOME/runs once it ends
      (GET /api/history; at most SA3_RUNS_MAX_MB, default 2048, the oldest
      unpinned runs removed first).
      Replicate's hosted API answers under /v1 (clients: baseUrl
      http://127.0.0.1:7860/v1, or REPLICATE_BASE_URL=http://127.0.0.1:7860)
      for the model --replicate-model names (default
      jimothyjohn/stable-audio-3-medium); outputs are data: URIs, or with
      --public-url https://host signed links under that address.
      --redis redis://HOST:PORT puts every prediction and workflow run on
      BullMQ queues in that Redis (one per model pack) for sa3 worker
      processes to run; without it everything runs in this process. Stopped
      or killed, it leaves those jobs running; started again with the same
      Redis and outputs, it follows them to their end.
      --rate-limit 30/min (or N/second, N/hour) lets each token (each
      address without --token) start at most N predictions or runs in any
      minute; more get 429 with Retry-After.

  sa3 worker --redis redis://HOST:PORT [--concurrency N] [--stall-seconds S]
             [--files DIR]
      Run the jobs of sa3 serve --redis on this box: those of the packs
      installed here and those that name no pack, N at a time (default 1).
      A job whose worker goes silent (killed) is run again on another after
      S seconds (default 30), once; a model call blocks the worker's
      heartbeat while it runs, so keep S above the longest one on this box
      (opening a medium fp32 pack on a CPU takes about 20 s). No folder is
      shared with the server: the uploads a job reads are fetched from it
      and the outputs put back to it over HTTP (at its --public-url, else
      the address it listens on), or through Redis (up to 64 MB a job)
      where it cannot be reached.
  sa3 workers --redis redis://HOST:PORT [--json]
      the workers serving that Redis (host, packs, packs loaded, busy or
      idle, jobs done) and each queue's waiting, running, failed and
      completed jobs.

  sa3 validate FILE [--json]
      Check a workflow without running it and list every problem at once,
      each with its code, node and param.

  sa3 models [list] [--json]       installed packs, and the known packs with
                                   what can be pulled
  sa3 models pull ID [--json] [--keep-checkpoint] [--precision fp32|fp16]
      download a pack from Hugging Face with progress, resuming partial
      files and checking every sha256; the pack appears only when complete,
      and a second pull does nothing. Gated repos need their licence
      accepted on huggingface.co and HF_TOKEN. medium and the -base packs
      download the safetensors checkpoint (10.4 GB for medium) and convert
      it on this machine; the checkpoint is deleted afterwards unless
      --keep-checkpoint (kept in $SA3_HOME/checkpoints/ID). --precision as
      for convert; an int8 pack is converted from a kept checkpoint.
  sa3 models import DIR [--id ID] [--move]
      install a folder downloaded by hand: an sa3 pack, or the files of a
      published repo (matched to a known pack; --id picks one if several fit)
  sa3 models verify ID             check every file of a pack against its sha256
  sa3 models remove ID             delete a pack (and any unfinished pull of it)
  sa3 models path                  where packs live ($SA3_HOME/packs)
  sa3 models lora list | import FILE [--name NAME] | remove NAME
      the LoRA files in $SA3_HOME/loras, which --lora and sa3.lora nodes
      also find by name
  sa3 models convert DIR [--id ID | --out ID] [--precision fp32|fp16|int8]
      Convert a Stable Audio 3 checkpoint folder (model.safetensors,
      model_config.json and t5gemma-b-b-ul2/, as the model repos ship them,
      or your own fine-tune) into an installed pack, without Python.
      fp16 (for GPUs) runs the DiT's and text encoder's matmuls in float16
      with norms, attention and the residual stream in float32, at about
      half the size; the codec stays float32. int8 (for CPUs with VNNI or
      AMX) runs those matmuls with int8 weights and uint8 activations
      quantized as they come, everything else in float32, the codec too;
      without --id it installs as the folder's name plus -int8, beside the
      float32 pack. Default fp32.
  sa3 models testpack [--id ID] [--base] [--layout baked|explicit]
      Install a tiny synthetic pack to try everything offline: its prompts
      pick sine tones by the words low, hum, mid, bright, high, bell,
      whistle and chirp. It is not a real model.

  sa3 nodes [TYPE] [--json]
      List the node types, or show one type's inputs, outputs and params.

  sa3 extract AUDIO [--out FILE]
      Print the workflow embedded in a WAV, MP3 or FLAC file saved by sa3.

  sa3 help | --help       this text
  sa3 version | --version

Exit codes: 0 ok, 1 the run failed, 2 invalid input (a bad workflow
file, a bad --set, or an input file that cannot be read); 130, 143 or 129
when Ctrl+C, SIGTERM or SIGHUP cancelled it (sa3 serve stops taking work,
cancels its runs, or with --redis leaves them to their jobs, and exits 0
within 5 s).

Environment: SA3_HOME (default ~/.cache/sa3) holds the packs (packs/) and
unfinished pulls (staging/); SA3_PACKS adds folders to look in; HF_TOKEN
is sent to Hugging Face for gated repos; HF_ENDPOINT points pulls at a
mirror; SA3_EXECUTION_PROVIDER picks cuda, tensorrt, coreml, dml,
webgpu or cpu (a provider that cannot load falls back to cpu, said once);
SA3_CONNECT_TIMEOUT_MS (30000) and SA3_IDLE_TIMEOUT_MS (60000) bound how
long pulls, audio URLs and webhooks wait for an answer and between its bytes.

Relative paths inside a workflow (audio.load sources) resolve against the
workflow file's folder. Ctrl+C cancels a run; nothing half-written is left,
and what a killed sa3 left behind is removed the next time one starts.
`;
