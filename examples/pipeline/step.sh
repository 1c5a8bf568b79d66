#!/bin/sh
# One step of the example pipeline: says which step it is and what it was given.
echo "step $1 (job of ${DOPQ_PIPELINE:-?}) on GPUs ${NVIDIA_VISIBLE_DEVICES:-none}, EPOCHS=${EPOCHS:-unset}"
sleep 2
echo "step $1 done"
