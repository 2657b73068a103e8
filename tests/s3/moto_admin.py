"""The administrative side of the moto-based object-storage test, done with boto3.

  setup <endpoint> <bucket>   (runs while moto still lets the first actions through
                               unauthenticated) makes an IAM user allowed s3:* on the
                               bucket, its access key, and the bucket; prints the key as JSON.
  show <endpoint> <key json>  prints, as JSON, every object in every bucket and the names
                               inside each .tar, read with the user's key (signed).
"""
import io
import json
import sys
import tarfile

import boto3


def client(service, endpoint, key=None):
    key = key or {"AccessKeyId": "AKIDUNUSED0000000000", "SecretAccessKey": "unused"}
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])


def setup(endpoint, bucket):
    iam = client("iam", endpoint)
    iam.create_user(UserName="uploader")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam.put_user_policy(UserName="uploader", PolicyName="s3", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="uploader")["AccessKey"]
    client("s3", endpoint).create_bucket(Bucket=bucket)
    print(json.dumps({"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}))


def show(endpoint, key):
    s3 = client("s3", endpoint, key)
    out = {}
    for b in s3.list_buckets()["Buckets"]:
        for obj in s3.list_objects_v2(Bucket=b["Name"]).get("Contents", []):
            body = s3.get_object(Bucket=b["Name"], Key=obj["Key"])["Body"].read()
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                out[f'{b["Name"]}/{obj["Key"]}'] = {m.name: (m.size if m.isfile() else "dir") for m in tar.getmembers()}
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3])
    else:
        show(sys.argv[2], json.loads(sys.argv[3]))
