#!/bin/sh
echo "hello from dopq job on GPUs: ${NVIDIA_VISIBLE_DEVICES:-none}"
echo "running as $(id -u) in $(pwd), $(nproc) CPUs visible"
for i in 1 2 3; do
  echo "step $i"
  sleep 1
done
echo "done"
