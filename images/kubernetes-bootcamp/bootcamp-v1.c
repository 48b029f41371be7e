#define BOOTCAMP_V 1
#define BOOTCAMP_IMAGE "gcr.io/google-samples/kubernetes-bootcamp:v1"
#include "bootcamp.h"
