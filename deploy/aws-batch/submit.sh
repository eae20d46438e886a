#!/usr/bin/env sh
# Registers both job definitions, submits the array job (one child per partition: AWS Batch sets
# AWS_BATCH_JOB_ARRAY_INDEX and AWS_BATCH_JOB_ARRAY_SIZE, which --partition auto reads) and the merge + export
# job that depends on the whole array (it starts only when every child has succeeded).
set -eu
cd "$(dirname "$0")"
aws batch register-job-definition --cli-input-json file://replay-job-definition.json >/dev/null
aws batch register-job-definition --cli-input-json file://merge-job-definition.json >/dev/null
array_id=$(aws batch submit-job --cli-input-json file://submit-array-job.json --query jobId --output text)
sed "s/ARRAY_JOB_ID/$array_id/" submit-merge-job.json > /tmp/clickstream-submit-merge.json
merge_id=$(aws batch submit-job --cli-input-json file:///tmp/clickstream-submit-merge.json --query jobId --output text)
echo "array job $array_id (16 partitions), merge + export job $merge_id"
