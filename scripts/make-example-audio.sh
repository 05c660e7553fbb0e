#!/usr/bin/env bash
# Synthesizes the small input audio the examples load (examples/audio/), so no binary is committed.
set -euo pipefail
cd "$(dirname "$0")/../examples"
mkdir -p audio
make() {
  local name=$1 expression=$2 seconds=$3
  [ -s "audio/$name" ] && return
  ffmpeg -v error -nostdin -y -f lavfi -i "aevalsrc=exprs=${expression}:s=44100:d=${seconds}:c=stereo" -c:a pcm_s16le "audio/.$name.tmp.wav"
  mv "audio/.$name.tmp.wav" "audio/$name"
}
# A major chord (A3 C#4 E4) that swells and decays, slightly different per channel.
make chord.wav "0.3*(sin(2*PI*220*t)+0.8*sin(2*PI*277.18*t)+0.6*sin(2*PI*329.63*t))*min(1\,t*4)*exp(-0.3*t)|0.3*(0.8*sin(2*PI*220*t)+sin(2*PI*277.18*t)+0.6*sin(2*PI*329.63*t))*min(1\,t*4)*exp(-0.3*t)" 4
# Two plucked phrases for joining: a 440 Hz and a 660 Hz tone with a soft attack.
make pluck-a.wav "0.5*sin(2*PI*440*t)*min(1\,t*20)*exp(-0.8*t)" 3
make pluck-b.wav "0.5*sin(2*PI*660*t)*min(1\,t*20)*exp(-0.8*t)" 3
