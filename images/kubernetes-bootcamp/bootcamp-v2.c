#define BOOTCAMP_V 2
#define BOOTCAMP_IMAGE "jocatalin/kubernetes-bootcamp:v2"
#include "bootcamp.h"
