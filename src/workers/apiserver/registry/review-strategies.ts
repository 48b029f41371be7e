import type { ResourceRef } from '../../../api/resources';
import { defineStrategy } from './define-strategy';

/**
 * authorization.k8s.io/v1 and authentication.k8s.io/v1 review kinds: create-only and never stored. They are
 * here for discovery and routing; authz/reviews.ts answers them (POST) before the store-backed handlers.
 */
const ref = (group: string, resource: string, kind: string, namespaced = false): ResourceRef => ({ group, version: 'v1', resource, kind, namespaced });
const review = (r: ResourceRef, singularName: string) => defineStrategy({ ref: r, singularName, verbs: ['create'] });

export const reviewStrategies = [
  review(ref('authentication.k8s.io', 'selfsubjectreviews', 'SelfSubjectReview'), 'selfsubjectreview'),
  review(ref('authentication.k8s.io', 'tokenreviews', 'TokenReview'), 'tokenreview'),
  review(ref('authorization.k8s.io', 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true), 'localsubjectaccessreview'),
  review(ref('authorization.k8s.io', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview'), 'selfsubjectaccessreview'),
  review(ref('authorization.k8s.io', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview'), 'selfsubjectrulesreview'),
  review(ref('authorization.k8s.io', 'subjectaccessreviews', 'SubjectAccessReview'), 'subjectaccessreview'),
];
