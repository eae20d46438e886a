#!/usr/bin/env python3
"""Print botocore's SigV4 Authorization header for the requests SigV4SignerTests checks against.

Fixed clock 2025-07-03T05:00:00Z, credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, us-east-1.
URLs are given exactly as our client puts them on the wire (already percent-encoded); S3 uses botocore's
S3SigV4Auth (no path normalisation, X-Amz-Content-SHA256 added), other services SigV4Auth.
Run once (`python3 scripts/sigv4_reference.py`) and paste the output into Tests/AWSClientTests/SigV4SignerTests.swift;
the tests do not run python.
"""
import datetime
import json
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

DATE = datetime.datetime(2025, 7, 3, 5, 0, 0, tzinfo=datetime.timezone.utc)
KEY, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEJr//////////wEaDOsession+token/with=chars"

KINESIS_BODY = json.dumps({"ShardIterator": "AAAAAAAAAAH+iterator/with==", "Limit": 10000}, separators=(",", ":"))
DDB_BODY = json.dumps({"TableName": "clicks-page-metrics", "KeyConditionExpression": "page_url = :p",
                       "ExpressionAttributeValues": {":p": {"S": "/home"}}}, separators=(",", ":"))

# (name, service, method, url, headers, body, session token?)
CASES = [
    ("s3-get-key-with-equals", "s3", "GET",
     "https://clicks-archive.s3.us-east-1.amazonaws.com/year%3D2025/month%3D7/day%3D3/hour%3D5/events-0001.json.gz",
     {}, b"", None),
    ("s3-get-key-space-plus-unicode", "s3", "GET",
     "https://clicks-archive.s3.us-east-1.amazonaws.com/dir/a%20b%2Bc%20caf%C3%A9%20%E6%97%A5%E6%9C%AC.json",
     {}, b"", None),
    ("s3-list-objects-v2", "s3", "GET",
     "https://clicks-archive.s3.us-east-1.amazonaws.com/?list-type=2&prefix=year%3D2025%2Fmonth%3D7%2F&max-keys=1000"
     "&continuation-token=1%2Fabc%2Bdef%3D%3D&start-after=year%3D2025%2Fa%20b",
     {}, b"", None),
    ("s3-path-style-session-token", "s3", "GET",
     "http://127.0.0.1:4566/clicks-archive/year%3D2025/%E6%97%A5%E6%9C%AC%20x.json",
     {}, b"", TOKEN),
    ("s3-put-object", "s3", "PUT",
     "https://clicks-archive.s3.us-east-1.amazonaws.com/raw/event%2B1.json",
     {"Content-Type": "application/json"}, b'{"session_id":"s1"}\n', None),
    ("kinesis-get-records", "kinesis", "POST", "https://kinesis.us-east-1.amazonaws.com/",
     {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Kinesis_20131202.GetRecords"},
     KINESIS_BODY.encode(), None),
    ("kinesis-session-token", "kinesis", "POST", "https://kinesis.us-east-1.amazonaws.com/",
     {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Kinesis_20131202.GetRecords"},
     KINESIS_BODY.encode(), TOKEN),
    ("dynamodb-query", "dynamodb", "POST", "https://dynamodb.us-east-1.amazonaws.com/",
     {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.Query"},
     DDB_BODY.encode(), None),
]


def main():
    print("# botocore", botocore.__version__)
    print("# kinesis body:", KINESIS_BODY)
    print("# dynamodb body:", DDB_BODY)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=DATE):
        for name, service, method, url, headers, body, token in CASES:
            creds = Credentials(KEY, SECRET, token)
            cls = botocore.auth.S3SigV4Auth if service == "s3" else botocore.auth.SigV4Auth
            request = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
            cls(creds, service, "us-east-1").add_auth(request)
            print(name)
            print("  " + request.headers["Authorization"])


if __name__ == "__main__":
    main()
